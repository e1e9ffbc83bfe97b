"""The model behind the agent, chosen by ``LLM_PROVIDER``.

Every provider module has one function, ``stream_text(messages, settings)``, an async
generator of text pieces that raises ``ProviderError`` with a readable message when the
provider fails. ``echo`` ships with every kit so tests and local runs need no key.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Sequence

from ..settings import Settings
from .events import Message

PROVIDER_MODULES = {"echo": "echo", "openai": "openai_chat", "bedrock": "bedrock"}


class ProviderError(RuntimeError):
    """The model provider failed; the message is safe to show to the caller."""


def stream_text(messages: Sequence[Message], settings: Settings) -> AsyncIterator[str]:
    try:
        provider = importlib.import_module(f".{PROVIDER_MODULES[settings.llm_provider]}", __package__)
    except ModuleNotFoundError:
        raise ProviderError(
            f"LLM_PROVIDER={settings.llm_provider} is not part of this kit; regenerate it with that provider"
        ) from None
    return provider.stream_text(messages, settings)
