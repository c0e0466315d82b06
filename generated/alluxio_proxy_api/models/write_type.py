from enum import StrEnum


class WriteType(StrEnum):
    ASYNC_THROUGH = "ASYNC_THROUGH"
    CACHE_THROUGH = "CACHE_THROUGH"
    MUST_CACHE = "MUST_CACHE"
    NONE = "NONE"
    THROUGH = "THROUGH"
    TRY_CACHE = "TRY_CACHE"

    def __str__(self) -> str:
        return str(self.value)
