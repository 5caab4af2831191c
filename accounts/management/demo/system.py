"""Demo data: system (being built)."""


def load(command) -> None:
    return None
