"""Amazon Bedrock through the Converse streaming API (boto3 ``converse_stream``).

The event stream is read as it arrives; the FastAPI flavors read the agent in a worker
thread, so it never blocks their event loop. ``AGENT_MODEL`` is the model id; the
function's role may invoke that model only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError

from ..settings import Settings
from .events import Message
from .model import ProviderError


@cache
def _client(timeout_s: int):
    retries = {"max_attempts": 2, "mode": "standard"}
    config = Config(read_timeout=timeout_s, connect_timeout=5, retries=retries)
    return boto3.client("bedrock-runtime", config=config)


def converse_request(messages: Sequence[Message], model_id: str) -> dict:
    """Bedrock wants system text apart, and turns that alternate user / assistant."""
    system = [{"text": m.content} for m in messages if m.role in ("system", "developer") and m.content]
    turns: list[dict] = []
    for message in messages:
        if message.role in ("system", "developer") or not message.content:
            continue
        role = "assistant" if message.role == "assistant" else "user"
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].append({"text": message.content})
        else:
            turns.append({"role": role, "content": [{"text": message.content}]})
    request = {"modelId": model_id, "messages": turns}
    if system:
        request["system"] = system
    return request


def _text_pieces(request: dict, timeout_s: int) -> Iterator[str]:
    response = _client(timeout_s).converse_stream(**request)
    stream = response["stream"]
    try:
        for event in stream:
            text = event.get("contentBlockDelta", {}).get("delta", {}).get("text")
            if text:
                yield text
    finally:
        stream.close()


def stream_text(messages: Sequence[Message], settings: Settings) -> Iterator[str]:
    request = converse_request(messages, settings.agent_model)
    try:
        yield from _text_pieces(request, settings.llm_timeout_s)
    except (ReadTimeoutError, ConnectTimeoutError):
        raise ProviderError(f"the model provider did not answer within {settings.llm_timeout_s}s") from None
    except ClientError as problem:
        error = problem.response.get("Error", {})
        detail = error.get("Message") or error.get("Code") or "unknown error"
        raise ProviderError(f"Bedrock failed: {error.get('Code', 'error')}: {detail}") from None
    except BotoCoreError as problem:
        raise ProviderError(f"Bedrock failed: {problem}") from None
