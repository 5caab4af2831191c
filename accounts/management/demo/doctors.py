"""Demo data: doctors (being built)."""


def load(command) -> None:
    return None
