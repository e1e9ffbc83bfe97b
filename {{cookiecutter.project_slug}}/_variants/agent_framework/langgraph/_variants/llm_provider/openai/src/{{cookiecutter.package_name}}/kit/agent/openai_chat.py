"""Any OpenAI-compatible Chat Completions endpoint, as LangChain's ``ChatOpenAI``.

``OPENAI_BASE_URL`` picks the endpoint (empty: OpenAI itself), ``AGENT_MODEL`` the model,
and the key comes from ``OPENAI_API_KEY``, or Secrets Manager / SSM when
``OPENAI_API_KEY_SECRET_ID`` / ``OPENAI_API_KEY_PARAMETER`` is set (read once per container).
Chat Completions, never the Responses API, since that is what compatible servers speak; every
stream asks for usage. ``ChatOpenAI`` keeps one HTTP client per process, bound to the
environment's event loop that every run uses.
"""

from __future__ import annotations

import openai
from langchain_openai import ChatOpenAI

from ..secret_store import read_secret
from ..settings import Settings
from .errors import ProviderError
from .model import max_tokens, stop_sequences


def _key(settings: Settings) -> str:
    key = settings.openai_api_key
    if not key and (settings.openai_api_key_secret_id or settings.openai_api_key_parameter):
        key = read_secret(settings.openai_api_key_secret_id, settings.openai_api_key_parameter)
    if key == "replace-me":
        raise ProviderError(
            "the provider key secret holds a placeholder; store the key with put-secret-value"
        )
    if not key:
        raise ProviderError(
            "no OpenAI API key: set OPENAI_API_KEY, OPENAI_API_KEY_SECRET_ID or OPENAI_API_KEY_PARAMETER"
        )
    return key


def build(settings: Settings, options: dict) -> ChatOpenAI:
    """The caller's generation settings go to the endpoint; the token limit as ``max_completion_tokens``."""
    generation = {"max_tokens": max_tokens(options), "stop": stop_sequences(options) or None}
    if "temperature" in options:
        generation["temperature"] = options["temperature"]
    return ChatOpenAI(
        model=settings.agent_model,
        base_url=settings.openai_base_url or None,
        api_key=_key(settings),
        timeout=settings.llm_timeout_s,
        max_retries=1,
        stream_usage=True,
        use_responses_api=False,
        **{name: value for name, value in generation.items() if value is not None},
    )


def failure(problem: BaseException, settings: Settings) -> str | None:
    """The SDK's errors, and the connection's own when it breaks while a reply streams."""
    if isinstance(problem, openai.APITimeoutError):
        return f"the model provider did not answer within {settings.llm_timeout_s}s"
    if isinstance(problem, openai.APIConnectionError):
        cause = type(problem.__cause__).__name__ if problem.__cause__ else "no answer"
        return f"the connection to the model provider failed ({cause})"
    if isinstance(problem, openai.APIStatusError):
        return f"the model provider answered {problem.status_code}: {problem.message}"
    if isinstance(problem, openai.APIError):
        return f"the model provider failed: {problem.message}"
    return None
