"""Any OpenAI-compatible Chat Completions endpoint, through Strands' ``OpenAIModel``.

``OPENAI_BASE_URL`` picks the endpoint (empty: OpenAI itself), ``AGENT_MODEL`` the model,
and the key comes from ``OPENAI_API_KEY``, or Secrets Manager / SSM when
``OPENAI_API_KEY_SECRET_ID`` / ``OPENAI_API_KEY_PARAMETER`` is set (read once per container).
Strands streams the Chat Completions API (never the Responses API) and asks for usage in the
stream; it opens an ``AsyncOpenAI`` client per model call and closes it, so no client outlives the
run that made it.
"""

from __future__ import annotations

import httpx
import openai
from strands.models.openai import OpenAIModel

from ..secret_store import read_secret
from ..settings import Settings
from .errors import ProviderError


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


def build(settings: Settings, options: dict) -> OpenAIModel:
    """The caller's generation settings go to the endpoint under the names they were sent with."""
    client_args = {
        "api_key": _key(settings),
        "base_url": settings.openai_base_url or None,
        "timeout": settings.llm_timeout_s,
        "max_retries": 1,
    }
    return OpenAIModel(client_args=client_args, model_id=settings.agent_model, params=options)


def failure(problem: BaseException, settings: Settings) -> str | None:
    """The SDK's errors, and the HTTP client's own when the connection breaks while a reply streams."""
    if isinstance(problem, (openai.APITimeoutError, httpx.TimeoutException)):
        return f"the model provider did not answer within {settings.llm_timeout_s}s"
    if isinstance(problem, openai.APIConnectionError):
        cause = type(problem.__cause__).__name__ if problem.__cause__ else "no answer"
        return f"the connection to the model provider failed ({cause})"
    if isinstance(problem, httpx.TransportError):
        return f"the connection to the model provider failed ({type(problem).__name__})"
    if isinstance(problem, openai.APIStatusError):
        return f"the model provider answered {problem.status_code}: {problem.message}"
    if isinstance(problem, openai.APIError):
        return f"the model provider failed: {problem.message}"
    return None
