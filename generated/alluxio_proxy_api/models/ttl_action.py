from enum import StrEnum


class TtlAction(StrEnum):
    DELETE = "DELETE"
    FREE = "FREE"

    def __str__(self) -> str:
        return str(self.value)
