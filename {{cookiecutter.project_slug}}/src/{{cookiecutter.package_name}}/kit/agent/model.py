"""The model behind the agent, chosen by ``LLM_PROVIDER``.

Every provider module has one function, ``stream_turn(messages, tools, settings, options)``:
one model call, a generator of text pieces (``str``), then the ``ToolCall``s the model asked
for, then at most one ``Finish`` when the model stopped for another reason than finishing
its answer (``length``). It raises ``ProviderError`` with a readable message when the provider
fails. ``tools`` are ``{"name", "description", "parameters"}`` specs; ``options`` holds the
caller's ``max_tokens`` / ``max_completion_tokens``, ``temperature`` and ``stop``, as given.
``provider_settings`` names the module of each provider; ``echo`` needs no key, so tests
and local runs work offline.
"""

from __future__ import annotations

import importlib
from collections import namedtuple
from collections.abc import Iterator, Sequence
from types import ModuleType

from ..settings import Settings
from .events import Message, ToolCall
from .provider_settings import PROVIDER_MODULES

Finish = namedtuple("Finish", ["reason"])
Finish.__doc__ = "Why the model stopped, when not at the natural end of its answer."


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
        raise ProviderError(f"LLM_PROVIDER={name} is not part of this kit: {module} is missing") from None


def preload(settings: Settings) -> None:
    """Import the configured provider (and its SDK) during init, not on the first request.

    A provider that cannot load is reported on the first request, as an error event.
    """
    try:
        load_provider(settings.llm_provider)
    except ProviderError:
        return  # said again, as an error event, when a request needs the provider


def max_tokens(options: dict) -> int | None:
    """The caller's token limit, under either of its OpenAI names."""
    return options.get("max_completion_tokens", options.get("max_tokens"))


def stop_sequences(options: dict) -> list[str]:
    stop = options.get("stop")
    return [stop] if isinstance(stop, str) else list(stop or ())


def stream_turn(
    messages: Sequence[Message], tools: list[dict], settings: Settings, options: dict
) -> Iterator[str | ToolCall | Finish]:
    return load_provider(settings.llm_provider).stream_turn(messages, tools, settings, options)
