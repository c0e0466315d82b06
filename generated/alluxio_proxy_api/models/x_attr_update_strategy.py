from enum import StrEnum


class XAttrUpdateStrategy(StrEnum):
    DELETE_KEYS = "DELETE_KEYS"
    TRUNCATE = "TRUNCATE"
    UNION_PRESERVE = "UNION_PRESERVE"
    UNION_REPLACE = "UNION_REPLACE"

    def __str__(self) -> str:
        return str(self.value)
