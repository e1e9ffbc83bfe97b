"""A local OpenAI-compatible Chat Completions server on 127.0.0.1 for provider tests.

The requested model picks the behaviour: ``ok`` streams the words of the last user
message, ``fail-midway`` streams two words then an error object, ``drop-midway`` closes
the connection after two words, ``slow`` waits before answering, ``tool-user`` asks for two
tools in one turn (their arguments split across chunks, interleaved by index) and, once the
``tool`` messages are in, answers with their contents; ``remote-user`` does the same with the
first offered tool named ``<server>__<tool>`` (a remote MCP server's), each of its required
arguments ``"Lima"``. ``max_tokens`` counts words, and a
request that asks for usage (``stream_options.include_usage``) gets it in a last chunk without
choices, as OpenAI sends it: 1 prompt token, and a completion token a word (``tool-user``: 2 for
its tool calls, 3 for its answer). Requests are recorded.
"""

from __future__ import annotations

import json
import time

from http_stub import HttpStub, Reply


class ChatServer(HttpStub):
    def __init__(self, slow_seconds: float = 3.0) -> None:
        super().__init__(self._answer)
        self.slow_seconds = slow_seconds

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def _answer(self, request: dict, reply: Reply) -> None:
        body = request["body"]
        model = body["model"]
        if model == "slow":
            time.sleep(self.slow_seconds)
        reply.start(200, "text/event-stream")
        if model == "tool-user":
            _tool_user(reply, body)
            return
        if model == "remote-user":
            _remote_user(reply, body)
            return
        words = _text(body["messages"][-1]["content"]).split(" ")
        limit = body.get("max_completion_tokens") or body.get("max_tokens") or len(words)
        finish = "length" if limit < len(words) else "stop"
        words = words[:limit]  # one word per token, as far as this server is concerned
        for index, word in enumerate(words):
            if index == 2 and model == "fail-midway":
                reply.chunk(b'data: {"error": {"message": "model overloaded", "type": "server_error"}}\n\n')
                break
            if index == 2 and model == "drop-midway":
                reply.drop(b"5\r\nda")
                return
            _delta(reply, model, {"content": word if index == 0 else f" {word}"})
            time.sleep(0.01)
        else:
            _delta(reply, model, {}, finish)
            _usage(reply, body, len(words))
            reply.chunk(b"data: [DONE]\n\n")
        reply.end()


def _tool_user(reply: Reply, body: dict) -> None:
    messages = body["messages"]
    if messages[-1]["role"] == "tool":
        results = [_text(m["content"]) for m in messages if m["role"] == "tool"]
        _delta(reply, "tool-user", {"content": "Results:"})
        for result in results[-2:]:
            _delta(reply, "tool-user", {"content": f" {result}"})
        _delta(reply, "tool-user", {}, "stop")
        _usage(reply, body, 3)
    else:
        _delta(reply, "tool-user", {"role": "assistant", "content": "Checking."})
        echo = {"name": "echo", "arguments": ""}
        slow = {"name": "slow_process", "arguments": '{"mess'}
        pieces = [
            (0, {"id": "call_a", "type": "function", "function": echo}),
            (1, {"id": "call_b", "type": "function", "function": slow}),
            (0, {"function": {"arguments": '{"message": '}}),
            (1, {"function": {"arguments": 'age": "two", "steps": 1, "delay_ms": 0}'}}),
            (0, {"function": {"arguments": '"one"}'}}),
        ]
        for index, piece in pieces:
            _delta(reply, "tool-user", {"tool_calls": [{"index": index, **piece}]})
        _delta(reply, "tool-user", {}, "tool_calls")
        _usage(reply, body, 2)
    reply.chunk(b"data: [DONE]\n\n")
    reply.end()


def _usage(reply: Reply, body: dict, completion_tokens: int) -> None:
    if (body.get("stream_options") or {}).get("include_usage"):
        usage = {
            "prompt_tokens": 1,
            "completion_tokens": completion_tokens,
            "total_tokens": 1 + completion_tokens,
        }
        chunk = {
            "id": "chatcmpl-local",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [],
            "usage": usage,
        }
        reply.chunk(b"data: " + json.dumps(chunk).encode() + b"\n\n")


def _remote_user(reply: Reply, body: dict) -> None:
    messages = body["messages"]
    if messages[-1]["role"] == "tool":
        _delta(reply, "remote-user", {"content": f"Remote: {_text(messages[-1]['content'])}"})
        _delta(reply, "remote-user", {}, "stop")
    else:
        tool = next(t["function"] for t in body.get("tools", []) if "__" in t["function"]["name"])
        arguments = {name: "Lima" for name in tool["parameters"].get("required", [])}
        call = {"id": "call_remote", "type": "function", "function": {"name": tool["name"]}}
        call["function"]["arguments"] = json.dumps(arguments)
        _delta(reply, "remote-user", {"tool_calls": [{"index": 0, **call}]})
        _delta(reply, "remote-user", {}, "tool_calls")
    reply.chunk(b"data: [DONE]\n\n")
    reply.end()


def _text(content: str | list) -> str:
    """A message's text: the content is a string, or a list of parts (some clients send parts)."""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if part.get("type") == "text")


def _delta(reply: Reply, model: str, delta: dict, finish_reason: str | None = None) -> None:
    chunk = {
        "id": "chatcmpl-local",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }
    reply.chunk(b"data: " + json.dumps(chunk).encode() + b"\n\n")
