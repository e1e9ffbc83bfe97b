"""Amazon Bedrock through the Converse streaming API (boto3 ``converse_stream``), as an Agents SDK
``Model``.

The SDK has no Bedrock model of its own; its LiteLLM one would bring LiteLLM (over 200 MB) for
a call boto3 makes directly. ``AGENT_MODEL`` is the model id; boto3 finds the region, the
function's credentials (and ``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``, when set) as it always does.
The function's role may invoke that model only. boto3's calls block, so each read of the stream
happens in a worker thread while the run's event loop goes on.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from functools import cache

import boto3
from agents import FunctionTool, Model, ModelResponse, ModelSettings, Usage
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError

from ..settings import Settings
from . import model_turn
from .conversation import FAILED
from .events import ToolCall

# Converse stop reasons that end a turn short, as the Responses API's ``incomplete_details`` say it
# (``end_turn``, ``tool_use`` and ``stop_sequence`` end it as the model meant to).
INCOMPLETE = {
    "max_tokens": "max_output_tokens",
    "guardrail_intervened": "content_filter",
    "content_filtered": "content_filter",
}


@cache
def _client(timeout_s: int):
    retries = {"max_attempts": 2, "mode": "standard"}
    config = Config(read_timeout=timeout_s, connect_timeout=5, retries=retries)
    return boto3.client("bedrock-runtime", config=config)


def build(settings: Settings) -> ConverseModel:
    return ConverseModel(settings.agent_model, _client(settings.llm_timeout_s))


def failure(problem: BaseException, settings: Settings) -> str | None:
    if isinstance(problem, (ReadTimeoutError, ConnectTimeoutError)):
        return f"the model provider did not answer within {settings.llm_timeout_s}s"
    if isinstance(problem, ClientError):
        error = problem.response.get("Error", {})
        detail = error.get("Message") or error.get("Code") or "unknown error"
        return f"Bedrock failed: {error.get('Code', 'error')}: {detail}"
    if isinstance(problem, BotoCoreError):
        return f"Bedrock failed: {problem}"
    return None


class ConverseModel(Model):
    def __init__(self, model_id: str, client: object) -> None:
        self.model_id = model_id
        self.client = client

    async def get_response(self, system_instructions, input, model_settings, tools, *args, **kwargs):
        events = [
            event async for event in self.stream_response(system_instructions, input, model_settings, tools)
        ]
        response = events[-1].response
        usage = Usage(requests=1)
        if response.usage is not None:
            usage = Usage(
                requests=1,
                input_tokens=response.usage.input_tokens,
                output_tokens=response.usage.output_tokens,
                total_tokens=response.usage.total_tokens,
            )
        return ModelResponse(output=response.output, usage=usage, response_id=None)

    async def stream_response(
        self, system_instructions, input, model_settings: ModelSettings, tools, *args, **kwargs
    ) -> AsyncIterator:
        request = converse_request(self.model_id, system_instructions, input, model_settings, tools)
        stream = (await asyncio.to_thread(lambda: self.client.converse_stream(**request)))["stream"]
        events = iter(stream)
        text: list[str] = []
        tool_blocks: dict[int, dict] = {}  # by content block index; the input arrives in JSON pieces
        stop_reason, tokens = None, None  # the tokens come in the last event, when Bedrock sends them
        try:
            while (event := await asyncio.to_thread(next, events, None)) is not None:
                if "contentBlockStart" in event:
                    start = event["contentBlockStart"]
                    tool_use = start.get("start", {}).get("toolUse")
                    if tool_use:
                        block = {"id": tool_use["toolUseId"], "name": tool_use["name"], "input": []}
                        tool_blocks[start["contentBlockIndex"]] = block
                elif "contentBlockDelta" in event:
                    block_delta = event["contentBlockDelta"]
                    piece = block_delta.get("delta", {})
                    if piece.get("text"):
                        text.append(piece["text"])
                        yield model_turn.text_delta(piece["text"], len(text))
                    elif "toolUse" in piece:
                        tool_blocks[block_delta["contentBlockIndex"]]["input"].append(
                            piece["toolUse"]["input"]
                        )
                elif "messageStop" in event:
                    stop_reason = event["messageStop"].get("stopReason")
                elif "metadata" in event:
                    usage = event["metadata"].get("usage", {})
                    tokens = (usage.get("inputTokens", 0), usage.get("outputTokens", 0))
        finally:
            stream.close()
        calls = [_tool_call(tool_blocks[index]) for index in sorted(tool_blocks)]
        incomplete = INCOMPLETE.get(stop_reason)
        yield model_turn.completed("".join(text), calls, incomplete=incomplete, tokens=tokens)


def converse_request(
    model_id: str, system_instructions: str | None, items: object, settings: ModelSettings, tools: list
) -> dict:
    """Bedrock wants system text apart, turns that alternate user / assistant, tool calls as
    ``toolUse`` blocks and their results as ``toolResult`` blocks in a user turn."""
    items = [{"role": "user", "content": items}] if isinstance(items, str) else list(items)
    system = [{"text": system_instructions}] if system_instructions else []
    turns: list[dict] = []
    for item in items:
        role = item.get("role")
        if role in ("system", "developer"):
            system.append({"text": _text(item.get("content"))})
            continue
        role, block = _block(item)
        if block is None:
            continue
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].append(block)
        else:
            turns.append({"role": role, "content": [block]})
    request: dict = {"modelId": model_id, "messages": turns}
    if system:
        request["system"] = system
    specs = [
        {
            "toolSpec": {
                "name": tool.name,
                "description": tool.description,
                "inputSchema": {"json": tool.params_json_schema},
            }
        }
        for tool in tools
        if isinstance(tool, FunctionTool)
    ]
    if specs:
        request["toolConfig"] = {"tools": specs}
    inference = _inference_config(settings)
    if inference:
        request["inferenceConfig"] = inference
    return request


def _block(item: dict) -> tuple[str, dict | None]:
    """One input item as a Converse content block, with the role of the turn it belongs to."""
    kind = item.get("type")
    if kind == "function_call":
        arguments = _arguments(item.get("arguments") or "")
        return "assistant", {
            "toolUse": {"toolUseId": item["call_id"], "name": item["name"], "input": arguments}
        }
    if kind == "function_call_output":
        output = _text(item.get("output"))
        result = {"toolUseId": item["call_id"], "content": [{"text": output.removeprefix(FAILED)}]}
        if output.startswith(FAILED):
            result["status"] = "error"
        return "user", {"toolResult": result}
    text = _text(item.get("content"))
    role = "assistant" if item.get("role") == "assistant" else "user"
    return role, ({"text": text} if text else None)


def _arguments(raw: str) -> dict:
    """A call's arguments as Converse takes them: a JSON object (``{}`` when they were not one)."""
    try:
        parsed = json.loads(raw) if raw.strip() else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _text(content: object) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content or () if isinstance(part, dict))


def _inference_config(settings: ModelSettings) -> dict:
    config = {}
    if model_turn.token_limit(settings) is not None:
        config["maxTokens"] = model_turn.token_limit(settings)
    if settings.temperature is not None:
        config["temperature"] = settings.temperature
    if model_turn.stop_sequences(settings):
        config["stopSequences"] = model_turn.stop_sequences(settings)
    return config


def _tool_call(block: dict) -> ToolCall:
    raw = "".join(block["input"])
    try:
        arguments = json.loads(raw) if raw.strip() else {}
    except ValueError:
        arguments = raw
    return ToolCall(block["id"], block["name"], arguments if isinstance(arguments, dict) else raw)
