from enum import StrEnum


class Bits(StrEnum):
    ALL = "ALL"
    EXECUTE = "EXECUTE"
    NONE = "NONE"
    READ = "READ"
    READ_EXECUTE = "READ_EXECUTE"
    READ_WRITE = "READ_WRITE"
    WRITE = "WRITE"
    WRITE_EXECUTE = "WRITE_EXECUTE"

    def __str__(self) -> str:
        return str(self.value)
