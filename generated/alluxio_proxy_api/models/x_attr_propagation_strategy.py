from enum import StrEnum


class XAttrPropagationStrategy(StrEnum):
    LEAF_NODE = "LEAF_NODE"
    NEW_PATHS = "NEW_PATHS"

    def __str__(self) -> str:
        return str(self.value)
