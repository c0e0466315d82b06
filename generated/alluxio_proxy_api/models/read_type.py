from enum import StrEnum


class ReadType(StrEnum):
    CACHE = "CACHE"
    CACHE_PROMOTE = "CACHE_PROMOTE"
    NO_CACHE = "NO_CACHE"

    def __str__(self) -> str:
        return str(self.value)
