"""Contains all the data models used in inputs/outputs"""

# Each model is imported on first use: an endpoint module imports the few models it names,
# not all of them (the command line's start-up pays only for those of its requests).
import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .access_control_list import AccessControlList
    from .bits import Bits
    from .block_info import BlockInfo
    from .block_location import BlockLocation
    from .cache_context import CacheContext
    from .common_options import CommonOptions
    from .create_directory_options import CreateDirectoryOptions
    from .create_file_options import CreateFileOptions
    from .delete_options import DeleteOptions
    from .error_response import ErrorResponse
    from .error_response_1x import ErrorResponse1X
    from .exists_options import ExistsOptions
    from .file_block_info import FileBlockInfo
    from .file_info import FileInfo
    from .free_options import FreeOptions
    from .get_status_options import GetStatusOptions
    from .list_status_options import ListStatusOptions
    from .load_metadata_type import LoadMetadataType
    from .locality_tier import LocalityTier
    from .mode import Mode
    from .mount_options import MountOptions
    from .mount_options_properties import MountOptionsProperties
    from .open_file_options import OpenFileOptions
    from .operation_id import OperationId
    from .persistence_state import PersistenceState
    from .proxy_info import ProxyInfo
    from .proxy_info_configuration import ProxyInfoConfiguration
    from .read_type import ReadType
    from .rename_options import RenameOptions
    from .s3_syntax_options import S3SyntaxOptions
    from .set_attribute_options import SetAttributeOptions
    from .tiered_identity import TieredIdentity
    from .ttl_action import TtlAction
    from .unmount_options import UnmountOptions
    from .wire_file_info import WireFileInfo
    from .worker_net_address import WorkerNetAddress
    from .write_type import WriteType
    from .x_attr import XAttr
    from .x_attr_propagation_strategy import XAttrPropagationStrategy
    from .x_attr_update_strategy import XAttrUpdateStrategy

_MODULES = {
    "AccessControlList": ".access_control_list",
    "Bits": ".bits",
    "BlockInfo": ".block_info",
    "BlockLocation": ".block_location",
    "CacheContext": ".cache_context",
    "CommonOptions": ".common_options",
    "CreateDirectoryOptions": ".create_directory_options",
    "CreateFileOptions": ".create_file_options",
    "DeleteOptions": ".delete_options",
    "ErrorResponse": ".error_response",
    "ErrorResponse1X": ".error_response_1x",
    "ExistsOptions": ".exists_options",
    "FileBlockInfo": ".file_block_info",
    "FileInfo": ".file_info",
    "FreeOptions": ".free_options",
    "GetStatusOptions": ".get_status_options",
    "ListStatusOptions": ".list_status_options",
    "LoadMetadataType": ".load_metadata_type",
    "LocalityTier": ".locality_tier",
    "Mode": ".mode",
    "MountOptions": ".mount_options",
    "MountOptionsProperties": ".mount_options_properties",
    "OpenFileOptions": ".open_file_options",
    "OperationId": ".operation_id",
    "PersistenceState": ".persistence_state",
    "ProxyInfo": ".proxy_info",
    "ProxyInfoConfiguration": ".proxy_info_configuration",
    "ReadType": ".read_type",
    "RenameOptions": ".rename_options",
    "S3SyntaxOptions": ".s3_syntax_options",
    "SetAttributeOptions": ".set_attribute_options",
    "TieredIdentity": ".tiered_identity",
    "TtlAction": ".ttl_action",
    "UnmountOptions": ".unmount_options",
    "WireFileInfo": ".wire_file_info",
    "WorkerNetAddress": ".worker_net_address",
    "WriteType": ".write_type",
    "XAttr": ".x_attr",
    "XAttrPropagationStrategy": ".x_attr_propagation_strategy",
    "XAttrUpdateStrategy": ".x_attr_update_strategy",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = (
    "AccessControlList",
    "Bits",
    "BlockInfo",
    "BlockLocation",
    "CacheContext",
    "CommonOptions",
    "CreateDirectoryOptions",
    "CreateFileOptions",
    "DeleteOptions",
    "ErrorResponse",
    "ErrorResponse1X",
    "ExistsOptions",
    "FileBlockInfo",
    "FileInfo",
    "FreeOptions",
    "GetStatusOptions",
    "ListStatusOptions",
    "LoadMetadataType",
    "LocalityTier",
    "Mode",
    "MountOptions",
    "MountOptionsProperties",
    "OpenFileOptions",
    "OperationId",
    "PersistenceState",
    "ProxyInfo",
    "ProxyInfoConfiguration",
    "ReadType",
    "RenameOptions",
    "S3SyntaxOptions",
    "SetAttributeOptions",
    "TieredIdentity",
    "TtlAction",
    "UnmountOptions",
    "WireFileInfo",
    "WorkerNetAddress",
    "WriteType",
    "XAttr",
    "XAttrPropagationStrategy",
    "XAttrUpdateStrategy",
)
