from enum import StrEnum


class LoadMetadataType(StrEnum):
    ALWAYS = "ALWAYS"
    NEVER = "NEVER"
    ONCE = "ONCE"

    def __str__(self) -> str:
        return str(self.value)
