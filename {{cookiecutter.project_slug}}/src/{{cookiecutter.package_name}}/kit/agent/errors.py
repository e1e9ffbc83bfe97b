"""What an agent run raises, whichever loop drives it."""


class ProviderError(RuntimeError):
    """The model provider failed; the message is safe to show to the caller."""


class ToolArgumentError(ValueError):
    """The arguments do not fit the tool's signature."""
