from enum import StrEnum


class PersistenceState(StrEnum):
    LOST = "LOST"
    NOT_PERSISTED = "NOT_PERSISTED"
    PERSISTED = "PERSISTED"
    TO_BE_PERSISTED = "TO_BE_PERSISTED"

    def __str__(self) -> str:
        return str(self.value)
