"""What an import refuses: a whole file (ImportRefused) or one row's cells (RowError, RowErrors)."""


class ImportRefused(Exception):
    """The whole file is refused (unknown format, wrong headers …); nothing is written."""


class RowError(Exception):
    """One cell of one row is wrong: the column and a Chinese reason for the report."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class RowErrors(Exception):
    """Every wrong cell of one row, so a row reports all its problems at once."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors
