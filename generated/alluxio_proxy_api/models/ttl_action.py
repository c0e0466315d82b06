from enum import StrEnum


class TtlAction(StrEnum):
    DELETE = "DELETE"
    DELETE_ALLUXIO = "DELETE_ALLUXIO"
    FREE = "FREE"

    def __str__(self) -> str:
        return str(self.value)
