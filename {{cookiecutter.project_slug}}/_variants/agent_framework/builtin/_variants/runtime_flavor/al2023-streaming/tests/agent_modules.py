"""What the agent loads beyond the standard library: nothing, the kit's own loop is standard library."""

# Costly standard-library modules the agent needs at cold start: none.
COSTLY: frozenset[str] = frozenset()


def unexpected(loaded: list[str]) -> list[str]:
    """The modules of ``loaded`` (beyond the standard library) that the agent does not account for."""
    return loaded
