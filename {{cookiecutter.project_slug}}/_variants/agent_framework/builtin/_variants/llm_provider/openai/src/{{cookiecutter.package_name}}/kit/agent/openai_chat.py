"""Any OpenAI-compatible Chat Completions endpoint, through the official ``openai`` SDK.

``OPENAI_BASE_URL`` picks the endpoint (empty: OpenAI itself), ``AGENT_MODEL`` the model,
and the key comes from ``OPENAI_API_KEY``, or Secrets Manager / SSM when
``OPENAI_API_KEY_SECRET_ID`` / ``OPENAI_API_KEY_PARAMETER`` is set (read once per container).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import cache

import openai

from ..secret_store import read_secret
from ..settings import Settings
from .errors import ProviderError
from .events import Message, ToolCall
from .model import Finish, Usage

# The caller's generation settings, passed through under the names they were sent with.
OPTIONS = ("max_tokens", "max_completion_tokens", "temperature", "stop")


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


def chat_messages(messages: Sequence[Message]) -> list[dict]:
    """The conversation in Chat Completions form: tool calls and ``tool`` results included."""
    shaped = []
    for message in messages:
        if message.role == "tool":
            shaped.append({"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content})
        elif message.tool_calls:
            calls = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": _arguments_text(call.arguments)},
                }
                for call in message.tool_calls
            ]
            shaped.append({"role": "assistant", "content": message.content or None, "tool_calls": calls})
        else:
            shaped.append({"role": message.role, "content": message.content})
    return shaped


def _arguments_text(arguments: object) -> str:
    return arguments if isinstance(arguments, str) else json.dumps(arguments)


def _tool_call(parts: dict) -> ToolCall:
    """A call assembled from its streamed pieces; arguments that are not a JSON object stay text."""
    raw = "".join(parts["arguments"])
    try:
        arguments = json.loads(raw) if raw.strip() else {}
    except ValueError:
        arguments = raw
    return ToolCall(parts["id"], parts["name"], arguments if isinstance(arguments, dict) else raw)


def _turn(client: openai.OpenAI, request: dict) -> Iterator[str | ToolCall | Finish | Usage]:
    calls: dict[int, dict] = {}  # by index: a call's id and name come first, its arguments in pieces
    finish = None
    usage = None
    for chunk in client.chat.completions.create(**request):
        usage = chunk.usage or usage  # the last chunk, when asked for with include_usage
        for choice in chunk.choices:
            delta = choice.delta
            if delta and delta.content:
                yield delta.content
            for piece in (delta.tool_calls if delta else None) or ():
                call = calls.setdefault(piece.index, {"id": "", "name": "", "arguments": []})
                call["id"] = piece.id or call["id"]
                if piece.function:
                    call["name"] = piece.function.name or call["name"]
                    call["arguments"].append(piece.function.arguments or "")
            finish = choice.finish_reason or finish
    for index in sorted(calls):
        calls[index]["id"] = calls[index]["id"] or f"call_{index}"  # some compatible servers send none
        yield _tool_call(calls[index])
    if finish in ("length", "content_filter"):
        yield Finish(finish)
    if usage is not None:
        yield Usage(usage.prompt_tokens, usage.completion_tokens)


def stream_turn(
    messages: Sequence[Message], tools: list[dict], settings: Settings, options: dict
) -> Iterator[str | ToolCall | Finish | Usage]:
    client = _client(settings)
    request = {
        "model": settings.agent_model,
        "messages": chat_messages(messages),
        "stream": True,
        "stream_options": {"include_usage": True},  # the tokens, in the last chunk
    }
    if tools:
        request["tools"] = [{"type": "function", "function": spec} for spec in tools]
    request.update((name, options[name]) for name in OPTIONS if name in options)
    try:
        yield from _turn(client, request)
    except openai.APITimeoutError:
        raise ProviderError(f"the model provider did not answer within {settings.llm_timeout_s}s") from None
    except openai.APIConnectionError as problem:
        cause = type(problem.__cause__).__name__ if problem.__cause__ else "no answer"
        raise ProviderError(f"the connection to the model provider failed ({cause})") from None
    except openai.APIStatusError as problem:
        raise ProviderError(f"the model provider answered {problem.status_code}: {problem.message}") from None
    except openai.APIError as problem:
        raise ProviderError(f"the model provider failed: {problem.message}") from None
