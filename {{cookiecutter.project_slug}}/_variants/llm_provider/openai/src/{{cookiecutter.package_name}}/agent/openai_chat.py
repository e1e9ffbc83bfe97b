"""Any OpenAI-compatible Chat Completions endpoint, through the official ``openai`` SDK.

``OPENAI_BASE_URL`` picks the endpoint (empty: OpenAI itself), ``AGENT_MODEL`` the model,
and the key comes from ``OPENAI_API_KEY``, or Secrets Manager / SSM when
``OPENAI_API_KEY_SECRET_ID`` / ``OPENAI_API_KEY_PARAMETER`` is set (read once per container).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

import httpx
import openai

from ..secret_store import read_secret
from ..settings import Settings
from .events import Message
from .model import ProviderError


@cache
def _client(settings: Settings) -> openai.OpenAI:
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
    return openai.OpenAI(
        api_key=key,
        base_url=settings.openai_base_url or None,
        timeout=settings.llm_timeout_s,
        max_retries=1,
    )


def stream_text(messages: Sequence[Message], settings: Settings) -> Iterator[str]:
    client = _client(settings)
    try:
        stream = client.chat.completions.create(
            model=settings.agent_model,
            messages=[{"role": m.role, "content": m.content} for m in messages],
            stream=True,
        )
        for chunk in stream:
            for choice in chunk.choices:
                if choice.delta and choice.delta.content:
                    yield choice.delta.content
    except (openai.APITimeoutError, httpx.TimeoutException):
        raise ProviderError(f"the model provider did not answer within {settings.llm_timeout_s}s") from None
    except openai.APIConnectionError as problem:
        cause = type(problem.__cause__).__name__ if problem.__cause__ else "no answer"
        raise ProviderError(f"the connection to the model provider failed ({cause})") from None
    except openai.APIStatusError as problem:
        raise ProviderError(f"the model provider answered {problem.status_code}: {problem.message}") from None
    except openai.APIError as problem:
        raise ProviderError(f"the model provider failed: {problem.message}") from None
    except httpx.HTTPError as problem:
        raise ProviderError(
            f"the connection to the model provider failed ({type(problem).__name__})"
        ) from None
