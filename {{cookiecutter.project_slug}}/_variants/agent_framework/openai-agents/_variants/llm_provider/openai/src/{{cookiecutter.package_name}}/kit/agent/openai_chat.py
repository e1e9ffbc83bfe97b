"""Any OpenAI-compatible Chat Completions endpoint, as the Agents SDK's ``OpenAIChatCompletionsModel``.

``OPENAI_BASE_URL`` picks the endpoint (empty: OpenAI itself), ``AGENT_MODEL`` the model, and the
key comes from ``OPENAI_API_KEY``, or Secrets Manager / SSM when ``OPENAI_API_KEY_SECRET_ID`` /
``OPENAI_API_KEY_PARAMETER`` is set (read once per container). Chat Completions, never the
Responses API (the SDK's default), since that is what compatible servers speak; the kit asks for
usage in every stream. One client per execution environment: it lives on the environment's event
loop, so warm invocations reuse its connections.
"""

from __future__ import annotations

from functools import cache

import openai
from agents import OpenAIChatCompletionsModel
from openai import AsyncOpenAI

from ..secret_store import read_secret
from ..settings import Settings
from .errors import ProviderError


@cache
def _client(settings: Settings) -> AsyncOpenAI:
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
    return AsyncOpenAI(
        api_key=key,
        base_url=settings.openai_base_url or None,
        timeout=settings.llm_timeout_s,
        max_retries=1,
    )


def build(settings: Settings) -> OpenAIChatCompletionsModel:
    return OpenAIChatCompletionsModel(model=settings.agent_model, openai_client=_client(settings))


def failure(problem: BaseException, settings: Settings) -> str | None:
    """The SDK's errors in one line each (the connection's own errors arrive wrapped in them)."""
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
