"""What the worker loads for a message beyond the standard library: nothing."""


def as_expected(loaded: list[str]) -> bool:
    return loaded == []
