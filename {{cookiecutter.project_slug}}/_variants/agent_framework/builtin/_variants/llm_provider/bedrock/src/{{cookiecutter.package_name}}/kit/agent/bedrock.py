"""Amazon Bedrock through the Converse streaming API (boto3 ``converse_stream``).

The event stream is read as it arrives, in the thread that reads the agent, so a slow
model never holds up anything else. ``AGENT_MODEL`` is the model id; the
function's role may invoke that model only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import cache

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError

from ..settings import Settings
from .errors import ProviderError
from .events import Message, ToolCall
from .model import Finish, Usage, max_tokens, stop_sequences

# Converse stop reasons that cut the answer short, as the OpenAI finish_reason callers know.
FINISH_REASONS = {
    "max_tokens": "length",
    "content_filtered": "content_filter",
    "guardrail_intervened": "content_filter",
}


@cache
def _client(timeout_s: int):
    retries = {"max_attempts": 2, "mode": "standard"}
    config = Config(read_timeout=timeout_s, connect_timeout=5, retries=retries)
    return boto3.client("bedrock-runtime", config=config)


def _blocks(message: Message) -> list[dict]:
    """A message as Converse content blocks: text, ``toolUse`` or ``toolResult``."""
    if message.role == "tool":
        result = {"toolUseId": message.tool_call_id, "content": [{"text": message.content}]}
        if message.is_error:
            result["status"] = "error"
        return [{"toolResult": result}]
    blocks = [{"text": message.content}] if message.content else []
    for call in message.tool_calls:
        arguments = call.arguments if isinstance(call.arguments, dict) else {}
        blocks.append({"toolUse": {"toolUseId": call.id, "name": call.name, "input": arguments}})
    return blocks


def converse_request(
    messages: Sequence[Message], model_id: str, tools: Sequence[dict] = (), options: dict | None = None
) -> dict:
    """Bedrock wants system text apart, turns that alternate user / assistant, and tool
    results in a user turn."""
    system = [{"text": m.content} for m in messages if m.role in ("system", "developer") and m.content]
    turns: list[dict] = []
    for message in messages:
        blocks = [] if message.role in ("system", "developer") else _blocks(message)
        if not blocks:
            continue
        role = "assistant" if message.role == "assistant" else "user"
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    request = {"modelId": model_id, "messages": turns}
    if system:
        request["system"] = system
    if tools:
        specs = [
            {
                "toolSpec": {
                    "name": t["name"],
                    "description": t["description"],
                    "inputSchema": {"json": t["parameters"]},
                }
            }
            for t in tools
        ]
        request["toolConfig"] = {"tools": specs}
    inference = _inference_config(options or {})
    if inference:
        request["inferenceConfig"] = inference
    return request


def _inference_config(options: dict) -> dict:
    config = {}
    if max_tokens(options) is not None:
        config["maxTokens"] = max_tokens(options)
    if "temperature" in options:
        config["temperature"] = options["temperature"]
    if stop_sequences(options):
        config["stopSequences"] = stop_sequences(options)
    return config


def _tool_call(block: dict) -> ToolCall:
    raw = "".join(block["input"])
    try:
        arguments = json.loads(raw) if raw.strip() else {}
    except ValueError:
        arguments = raw
    return ToolCall(block["id"], block["name"], arguments if isinstance(arguments, dict) else raw)


def _pieces(request: dict, timeout_s: int) -> Iterator[str | ToolCall | Finish | Usage]:
    response = _client(timeout_s).converse_stream(**request)
    stream = response["stream"]
    tool_blocks: dict[int, dict] = {}  # by content block index; the input arrives in JSON pieces
    stop_reason = None
    usage = None
    try:
        for event in stream:
            if "contentBlockStart" in event:
                start = event["contentBlockStart"]
                tool_use = start.get("start", {}).get("toolUse")
                if tool_use:
                    block = {"id": tool_use["toolUseId"], "name": tool_use["name"], "input": []}
                    tool_blocks[start["contentBlockIndex"]] = block
            elif "contentBlockDelta" in event:
                delta = event["contentBlockDelta"]
                if delta.get("delta", {}).get("text"):
                    yield delta["delta"]["text"]
                elif "toolUse" in delta.get("delta", {}):
                    tool_blocks[delta["contentBlockIndex"]]["input"].append(
                        delta["delta"]["toolUse"]["input"]
                    )
            elif "messageStop" in event:
                stop_reason = event["messageStop"].get("stopReason")
            elif "metadata" in event:
                usage = event["metadata"].get("usage") or usage
    finally:
        stream.close()
    for index in sorted(tool_blocks):
        yield _tool_call(tool_blocks[index])
    if stop_reason in FINISH_REASONS:
        yield Finish(FINISH_REASONS[stop_reason])
    if usage:
        yield Usage(usage.get("inputTokens"), usage.get("outputTokens"))


def stream_turn(
    messages: Sequence[Message], tools: list[dict], settings: Settings, options: dict
) -> Iterator[str | ToolCall | Finish | Usage]:
    request = converse_request(messages, settings.agent_model, tools, options)
    try:
        yield from _pieces(request, settings.llm_timeout_s)
    except (ReadTimeoutError, ConnectTimeoutError):
        raise ProviderError(f"the model provider did not answer within {settings.llm_timeout_s}s") from None
    except ClientError as problem:
        error = problem.response.get("Error", {})
        detail = error.get("Message") or error.get("Code") or "unknown error"
        raise ProviderError(f"Bedrock failed: {error.get('Code', 'error')}: {detail}") from None
    except BotoCoreError as problem:
        raise ProviderError(f"Bedrock failed: {problem}") from None
