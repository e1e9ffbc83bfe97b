"""The model behind the agent, chosen by ``LLM_PROVIDER``.

Every provider module has one function, ``stream_text(messages, settings)``, a
generator of text pieces that raises ``ProviderError`` with a readable message when the
provider fails. ``echo`` ships with every kit so tests and local runs need no key.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from types import ModuleType

from ..settings import Settings
from .events import Message

PROVIDER_MODULES = {"echo": "echo", "openai": "openai_chat", "bedrock": "bedrock"}


class ProviderError(RuntimeError):
    """The model provider failed; the message is safe to show to the caller."""


def load_provider(name: str) -> ModuleType:
    module = f"{__package__}.{PROVIDER_MODULES[name]}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as problem:
        if problem.name != module:
            missing = f"needs {problem.name!r}, which is not installed; see requirements-lambda.txt"
            raise ProviderError(f"LLM_PROVIDER={name} {missing}") from None
        regenerate = "is not part of this kit; regenerate it with that provider"
        raise ProviderError(f"LLM_PROVIDER={name} {regenerate}") from None


def preload(settings: Settings) -> None:
    """Import the configured provider (and its SDK) during init, not on the first request.

    A provider that cannot load is reported on the first request, as an error event.
    """
    try:
        load_provider(settings.llm_provider)
    except ProviderError:
        return  # said again, as an error event, when a request needs the provider


def stream_text(messages: Sequence[Message], settings: Settings) -> Iterator[str]:
    return load_provider(settings.llm_provider).stream_text(messages, settings)
