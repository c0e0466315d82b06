from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.error_response_1x import ErrorResponse1X
from ...models.file_info import FileInfo
from ...models.list_status_options import ListStatusOptions
from ...types import UNSET, Response, Unset


def _get_kwargs(
    path: str,
    *,
    body: ListStatusOptions | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/paths/{path}/list-status".format(
            path="/".join(
                "%2E" * len(s) if s in (".", "..") else s
                for s in quote(str(path), safe="/").split("/")
            ),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ErrorResponse1X | list[FileInfo] | str | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = FileInfo.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 400:
        response_400 = response.text
        return response_400

    if response.status_code == 500:

        def _parse_response_500(data: object) -> ErrorResponse | ErrorResponse1X:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_500_type_0 = ErrorResponse.from_dict(data)

                return response_500_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_500_type_1 = ErrorResponse1X.from_dict(data)

            return response_500_type_1

        response_500 = _parse_response_500(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ErrorResponse1X | list[FileInfo] | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: ListStatusOptions | Unset = UNSET,
) -> Response[ErrorResponse | ErrorResponse1X | list[FileInfo] | str]:
    """List a directory.

     Returns the `FileInfo` of every entry of the directory at `path` (of the file itself
    when `path` is a file), in the order the master returns them (not sorted).

    `curl -X POST 'http://localhost:39999/api/v1/paths///list-status' -H 'Content-Type:
    application/json' -d '{"loadMetadataType": "ALWAYS"}'`

    Args:
        path (str):
        body (ListStatusOptions | Unset): Options of `list-status`. Every field is optional.
            Example: {'loadMetadataType': 'ALWAYS', 'recursive': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ErrorResponse1X | list[FileInfo] | str]
    """

    kwargs = _get_kwargs(
        path=path,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: ListStatusOptions | Unset = UNSET,
) -> ErrorResponse | ErrorResponse1X | list[FileInfo] | str | None:
    """List a directory.

     Returns the `FileInfo` of every entry of the directory at `path` (of the file itself
    when `path` is a file), in the order the master returns them (not sorted).

    `curl -X POST 'http://localhost:39999/api/v1/paths///list-status' -H 'Content-Type:
    application/json' -d '{"loadMetadataType": "ALWAYS"}'`

    Args:
        path (str):
        body (ListStatusOptions | Unset): Options of `list-status`. Every field is optional.
            Example: {'loadMetadataType': 'ALWAYS', 'recursive': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ErrorResponse1X | list[FileInfo] | str
    """

    return sync_detailed(
        path=path,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: ListStatusOptions | Unset = UNSET,
) -> Response[ErrorResponse | ErrorResponse1X | list[FileInfo] | str]:
    """List a directory.

     Returns the `FileInfo` of every entry of the directory at `path` (of the file itself
    when `path` is a file), in the order the master returns them (not sorted).

    `curl -X POST 'http://localhost:39999/api/v1/paths///list-status' -H 'Content-Type:
    application/json' -d '{"loadMetadataType": "ALWAYS"}'`

    Args:
        path (str):
        body (ListStatusOptions | Unset): Options of `list-status`. Every field is optional.
            Example: {'loadMetadataType': 'ALWAYS', 'recursive': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ErrorResponse1X | list[FileInfo] | str]
    """

    kwargs = _get_kwargs(
        path=path,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: ListStatusOptions | Unset = UNSET,
) -> ErrorResponse | ErrorResponse1X | list[FileInfo] | str | None:
    """List a directory.

     Returns the `FileInfo` of every entry of the directory at `path` (of the file itself
    when `path` is a file), in the order the master returns them (not sorted).

    `curl -X POST 'http://localhost:39999/api/v1/paths///list-status' -H 'Content-Type:
    application/json' -d '{"loadMetadataType": "ALWAYS"}'`

    Args:
        path (str):
        body (ListStatusOptions | Unset): Options of `list-status`. Every field is optional.
            Example: {'loadMetadataType': 'ALWAYS', 'recursive': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ErrorResponse1X | list[FileInfo] | str
    """

    return (
        await asyncio_detailed(
            path=path,
            client=client,
            body=body,
        )
    ).parsed
