"""The Strands model behind the agent, chosen by ``LLM_PROVIDER``, and its failures in words.

Every provider module has two functions: ``build(settings, options)``, the Strands model for
these settings and the caller's generation ``options`` (``max_tokens`` / ``max_completion_tokens``,
``temperature``, ``stop``, as given), and ``failure(problem, settings)``, what to tell the caller
when ``problem`` is that provider failing (None when it is not). ``provider_settings`` names the
module of each provider; only the configured one is imported. A model holds no conversation, so
one per settings and options is kept for the execution environment and shared by every
request's agent.
"""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType

from ..settings import Settings
from .errors import ProviderError
from .providers import load_provider

# The caller's generation settings (OpenAI names), as run_agent's ``options`` carries them.
OPTIONS = ("max_tokens", "max_completion_tokens", "temperature", "stop")


def max_tokens(options: dict) -> int | None:
    """The caller's token limit, under either of its OpenAI names."""
    return options.get("max_completion_tokens", options.get("max_tokens"))


def stop_sequences(options: dict) -> list[str]:
    stop = options.get("stop")
    return [stop] if isinstance(stop, str) else list(stop or ())


def build_model(settings: Settings, options: dict | None = None):
    """The model for these settings and options; ProviderError when it cannot be made."""
    chosen = tuple(sorted((name, _frozen(options[name])) for name in OPTIONS if name in (options or {})))
    return _model(load_provider(settings.llm_provider), settings, chosen)


def forget_models() -> None:
    """Make every model afresh from now on (a test moved its provider's endpoint)."""
    _model.cache_clear()


@lru_cache(maxsize=16)
def _model(provider: ModuleType, settings: Settings, chosen: tuple):
    options = {name: list(value) if isinstance(value, tuple) else value for name, value in chosen}
    return provider.build(settings, options)


def _frozen(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def failure_message(problem: BaseException, settings: Settings) -> str | None:
    """What to tell the caller when ``problem`` is the model provider failing; None otherwise."""
    from strands.types.exceptions import ContextWindowOverflowException, ModelThrottledException

    if isinstance(problem, ProviderError):
        return str(problem)
    message = load_provider(settings.llm_provider).failure(problem, settings)
    if message is None and isinstance(problem, (ModelThrottledException, ContextWindowOverflowException)):
        message = f"the model provider failed: {problem}"
    return message
