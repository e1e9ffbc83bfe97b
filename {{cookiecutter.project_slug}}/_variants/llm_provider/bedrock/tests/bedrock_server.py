"""A local endpoint on 127.0.0.1 that answers Bedrock ``ConverseStream`` calls.

It speaks the real wire format (``application/vnd.amazon.eventstream`` frames with CRCs),
so boto3 sends real requests and parses real responses. The model id picks the
behaviour: ``ok``, ``fail-midway`` (an exception frame after two words), ``slow``, ``denied``,
``tool-user`` (two ``toolUse`` blocks in one turn, their input streamed in JSON pieces; once the
``toolResult`` blocks are in, an answer quoting them), ``remote-user`` (the same with the first
offered tool named ``<server>__<tool>``, a remote MCP server's, each required argument ``"Lima"``).
``inferenceConfig.maxTokens`` counts words.
A stream that ends well ends with its ``metadata`` (usage): 1 input token, and an output token a
word (``tool-user``: 2 for its tool uses, 3 for its answer).
"""

from __future__ import annotations

import json
import struct
import time
import zlib
from urllib.parse import unquote

from http_stub import HttpStub, Reply


def _header(name: str, value: str) -> bytes:
    name_bytes, value_bytes = name.encode(), value.encode()
    return bytes([len(name_bytes)]) + name_bytes + b"\x07" + struct.pack(">H", len(value_bytes)) + value_bytes


def frame(kind: str, payload: dict, exception: bool = False) -> bytes:
    """One event-stream message: prelude, headers, JSON payload, CRCs."""
    type_header = ":exception-type" if exception else ":event-type"
    headers = (
        _header(type_header, kind)
        + _header(":content-type", "application/json")
        + _header(":message-type", "exception" if exception else "event")
    )
    body = json.dumps(payload).encode()
    prelude = struct.pack(">II", 12 + len(headers) + len(body) + 4, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    message = prelude + headers + body
    return message + struct.pack(">I", zlib.crc32(message))


class BedrockServer(HttpStub):
    def __init__(self, slow_seconds: float = 3.0) -> None:
        super().__init__(self._answer)
        self.slow_seconds = slow_seconds

    def _answer(self, request: dict, reply: Reply) -> None:
        body = request["body"]
        request["model"] = model = unquote(request["path"].split("/")[2])
        if model == "denied":
            headers = {"x-amzn-ErrorType": "AccessDeniedException"}
            reply.json(403, {"message": "no access to this model"}, headers)
            return
        if model == "slow":
            time.sleep(self.slow_seconds)
        reply.start(200, "application/vnd.amazon.eventstream")
        reply.chunk(frame("messageStart", {"role": "assistant"}))
        if model == "tool-user":
            _tool_user(reply, body["messages"][-1]["content"])
            return
        if model == "remote-user":
            _remote_user(reply, body)
            return
        words = body["messages"][-1]["content"][0]["text"].split(" ")
        limit = body.get("inferenceConfig", {}).get("maxTokens") or len(words)
        stop_reason = "max_tokens" if limit < len(words) else "end_turn"
        words = words[:limit]
        for index, word in enumerate(words):
            if index == 2 and model == "fail-midway":
                problem = {"message": "model stream broke"}
                reply.chunk(frame("modelStreamErrorException", problem, exception=True))
                break
            piece = word if index == 0 else f" {word}"
            reply.chunk(frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": piece}}))
            time.sleep(0.01)
        else:
            reply.chunk(frame("messageStop", {"stopReason": stop_reason}))
            reply.chunk(_metadata(len(words)))
        reply.end()


def _remote_user(reply: Reply, body: dict) -> None:
    results = [block["toolResult"] for block in body["messages"][-1]["content"] if "toolResult" in block]
    if results:
        answer = "Remote: " + results[0]["content"][0]["text"]
        reply.chunk(frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": answer}}))
        reply.chunk(frame("messageStop", {"stopReason": "end_turn"}))
        reply.chunk(_metadata(1))
    else:
        specs = [tool["toolSpec"] for tool in body["toolConfig"]["tools"]]
        spec = next(spec for spec in specs if "__" in spec["name"])
        arguments = {name: "Lima" for name in spec["inputSchema"]["json"].get("required", [])}
        start = {"toolUse": {"toolUseId": "tooluse_remote", "name": spec["name"]}}
        reply.chunk(frame("contentBlockStart", {"contentBlockIndex": 0, "start": start}))
        delta = {"toolUse": {"input": json.dumps(arguments)}}
        reply.chunk(frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": delta}))
        reply.chunk(frame("contentBlockStop", {"contentBlockIndex": 0}))
        reply.chunk(frame("messageStop", {"stopReason": "tool_use"}))
        reply.chunk(_metadata(1))
    reply.end()


def _tool_user(reply: Reply, last_turn: list[dict]) -> None:
    results = [block["toolResult"] for block in last_turn if "toolResult" in block]
    if results:
        answer = "Results: " + " ".join(r["content"][0]["text"] for r in results)
        reply.chunk(frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": answer}}))
        reply.chunk(frame("messageStop", {"stopReason": "end_turn"}))
        reply.chunk(_metadata(3))
        reply.end()
        return
    reply.chunk(frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Checking."}}))
    reply.chunk(frame("contentBlockStop", {"contentBlockIndex": 0}))
    calls = [
        (1, "tooluse_a", "echo", ['{"message": ', '"one"}']),
        (2, "tooluse_b", "slow_process", ['{"message": "tw', 'o", "steps": 1, ', '"delay_ms": 0}']),
    ]
    for index, tool_id, name, pieces in calls:
        start = {"toolUse": {"toolUseId": tool_id, "name": name}}
        reply.chunk(frame("contentBlockStart", {"contentBlockIndex": index, "start": start}))
        for piece in pieces:
            delta = {"toolUse": {"input": piece}}
            reply.chunk(frame("contentBlockDelta", {"contentBlockIndex": index, "delta": delta}))
        reply.chunk(frame("contentBlockStop", {"contentBlockIndex": index}))
    reply.chunk(frame("messageStop", {"stopReason": "tool_use"}))
    reply.chunk(_metadata(2))
    reply.end()


def _metadata(output_tokens: int) -> bytes:
    usage = {"inputTokens": 1, "outputTokens": output_tokens, "totalTokens": 1 + output_tokens}
    return frame("metadata", {"usage": usage, "metrics": {"latencyMs": 1}})
