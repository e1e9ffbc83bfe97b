"""What the worker loads for a message beyond the standard library: the Lexia package (with pydantic)."""


def as_expected(loaded: list[str]) -> bool:
    return "lexia" in loaded
