"""Any OpenAI-compatible Chat Completions endpoint, as Pydantic AI's ``OpenAIChatModel``.

``OPENAI_BASE_URL`` picks the endpoint (empty: OpenAI itself), ``AGENT_MODEL`` the model, and the
key comes from ``OPENAI_API_KEY``, or Secrets Manager / SSM when ``OPENAI_API_KEY_SECRET_ID`` /
``OPENAI_API_KEY_PARAMETER`` is set (read once per container). Chat Completions, never the
Responses API, since that is what compatible servers speak; every stream asks for usage. One
client per execution environment: it lives on the environment's event loop, so warm invocations
reuse its connections.
"""

from __future__ import annotations

from functools import cache

from openai import AsyncOpenAI
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai import OpenAIProvider

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


def build(settings: Settings) -> OpenAIChatModel:
    provider = OpenAIProvider(openai_client=_client(settings))
    return OpenAIChatModel(settings.agent_model, provider=provider)
