"""Demo data: review (being built)."""


def load(command) -> None:
    return None
