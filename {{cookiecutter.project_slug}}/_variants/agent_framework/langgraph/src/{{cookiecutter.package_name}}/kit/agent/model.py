"""The LangChain chat model behind the agent, chosen by ``LLM_PROVIDER``, and its failures in words.

Every provider module has two functions: ``build(settings, options)``, the chat model for these
settings and the caller's generation ``options`` (``max_tokens`` / ``max_completion_tokens``,
``temperature``, ``stop``, as given), and ``failure(problem, settings)``, what to tell the caller
when ``problem`` is that provider failing (None when it is not). ``provider_settings`` names the
module of each provider; only the configured one is imported. A model is made per run (under a
millisecond once the first is made) around the clients the SDKs keep for the execution environment.
"""

from __future__ import annotations

from ..settings import Settings
from .providers import load_provider


def max_tokens(options: dict) -> int | None:
    """The caller's token limit, under either of its OpenAI names."""
    return options.get("max_completion_tokens", options.get("max_tokens"))


def stop_sequences(options: dict) -> list[str]:
    stop = options.get("stop")
    return [stop] if isinstance(stop, str) else list(stop or ())


def build_model(settings: Settings, options: dict | None = None):
    """The chat model for these settings and options; ProviderError when it cannot be made."""
    return load_provider(settings.llm_provider).build(settings, options or {})


def failure_message(problem: BaseException, settings: Settings) -> str | None:
    """What to tell the caller when ``problem`` is the model provider failing; None otherwise."""
    return load_provider(settings.llm_provider).failure(problem, settings)
