"""Demo data: help (being built)."""


def load(command) -> None:
    return None
