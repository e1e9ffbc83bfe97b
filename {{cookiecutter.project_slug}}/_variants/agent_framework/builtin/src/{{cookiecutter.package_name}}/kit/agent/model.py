"""The model behind the agent, chosen by ``LLM_PROVIDER``.

Every provider module has one function, ``stream_turn(messages, tools, settings, options)``:
one model call, a generator of text pieces (``str``), then the ``ToolCall``s the model asked
for, then at most one ``Finish`` when the model stopped for another reason than finishing
its answer (``length``), and a ``Usage`` when the provider reported the call's tokens. It
raises ``ProviderError`` with a readable message when the provider fails. ``tools`` are
``{"name", "description", "parameters"}`` specs; ``options`` holds the caller's
``max_tokens`` / ``max_completion_tokens``, ``temperature`` and ``stop``, as given.
``provider_settings`` names the module of each provider; ``echo`` needs no key, so tests
and local runs work offline.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Sequence

from ..settings import Settings
from .errors import ProviderError as ProviderError  # raised by every provider module
from .events import Message, ToolCall
from .providers import load_provider

Finish = namedtuple("Finish", ["reason"])
Finish.__doc__ = "Why the model stopped, when not at the natural end of its answer."

Usage = namedtuple("Usage", ["input_tokens", "output_tokens"])
Usage.__doc__ = "The tokens one model call took in and gave out, as its provider reported them."


def max_tokens(options: dict) -> int | None:
    """The caller's token limit, under either of its OpenAI names."""
    return options.get("max_completion_tokens", options.get("max_tokens"))


def stop_sequences(options: dict) -> list[str]:
    stop = options.get("stop")
    return [stop] if isinstance(stop, str) else list(stop or ())


def stream_turn(
    messages: Sequence[Message], tools: list[dict], settings: Settings, options: dict
) -> Iterator[str | ToolCall | Finish | Usage]:
    return load_provider(settings.llm_provider).stream_turn(messages, tools, settings, options)
