"""The echo provider as a Strands model: streams the last user message back, word by word.

It needs no key and no network, so tests and local runs are deterministic. It can also drive
the tool loop: a last user message ``/tool <name> <json arguments>`` asks for that tool call (id
``call_echo_<n>``), and once the results are in, the answer is a sentence per result holding the
tool's output. It speaks Strands' stream events (Converse shapes), so the agent runs it like any
other model.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from strands.models import Model

from ..settings import Settings
from .model import max_tokens, stop_sequences

TOOL_COMMAND = "/tool "


def build(settings: Settings, options: dict) -> EchoModel:
    return EchoModel(
        delay_ms=settings.echo_delay_ms,
        max_tokens=max_tokens(options),
        stop_sequences=stop_sequences(options),
    )


def failure(problem: BaseException, settings: Settings) -> None:
    return None  # the echo model does not fail


def _text_of(message: dict) -> str:
    return "".join(block.get("text", "") for block in message.get("content", ()))


def _trailing_results(message: dict | None) -> list[dict]:
    """The tool results that end the conversation (a user turn may hold results, then text)."""
    results: list[dict] = []
    if message is None or message.get("role") != "user":
        return results
    for block in reversed(message.get("content", ())):
        if "toolResult" not in block:
            break
        results.insert(0, block["toolResult"])
    return results


def _has_text(message: dict) -> bool:
    return any("text" in block for block in message.get("content", ()))


def _answer_to_tools(messages: list[dict], results: list[dict]) -> str:
    """A sentence per tool result of the last turn."""
    names = {
        block["toolUse"]["toolUseId"]: block["toolUse"]["name"]
        for message in messages
        for block in message.get("content", ())
        if "toolUse" in block
    }
    sentences = []
    for outcome in results:
        name = names.get(outcome.get("toolUseId"), "the tool")
        verb = "failed with" if outcome.get("status") == "error" else "returned"
        sentences.append(f"{name} {verb} {_text_of(outcome)}")
    return " ".join(sentences)


def _usage_event() -> dict:
    usage = {"inputTokens": 0, "outputTokens": 0, "totalTokens": 0}
    return {"metadata": {"usage": usage, "metrics": {"latencyMs": 0}}}


class EchoModel(Model):
    """A scripted model: ``EchoModel(delay_ms=30, max_tokens=None, stop_sequences=())``.

    ``max_tokens`` counts words (the turn then stops with ``max_tokens``, as a real model's
    would); ``delay_ms`` is the pause between words.
    """

    def __init__(self, **config: Any) -> None:
        self.config: dict[str, Any] = {"model_id": "echo", "delay_ms": 0, **config}

    def update_config(self, **model_config: Any) -> None:
        self.config.update(model_config)

    def get_config(self) -> dict[str, Any]:
        return self.config

    def structured_output(self, output_model, prompt, system_prompt=None, **kwargs):
        raise NotImplementedError("the echo model has no structured output")

    async def stream(
        self,
        messages: list[dict],
        tool_specs: list[dict] | None = None,
        system_prompt: str | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[dict]:
        """One model call, as Strands stream events."""
        yield {"messageStart": {"role": "assistant"}}
        last = messages[-1] if messages else None
        results = _trailing_results(last)
        if results:
            text = _answer_to_tools(messages, results)
        else:
            asked = next((m for m in reversed(messages) if m["role"] == "user" and _has_text(m)), None)
            text = _text_of(asked) if asked else ""
            if asked is last and text.startswith(TOOL_COMMAND):
                for event in self.tool_request(messages, text):
                    yield event
                return
        async for event in self._words(text or "(nothing to echo)"):
            yield event

    def tool_request(self, messages: list[dict], text: str) -> list[dict]:
        """A ``toolUse`` block whose input is the raw text after the tool name."""
        name, _, raw = text[len(TOOL_COMMAND) :].strip().partition(" ")
        turn = 1 + sum(1 for m in messages if any("toolUse" in block for block in m.get("content", ())))
        start = {"toolUse": {"toolUseId": f"call_echo_{turn}", "name": name}}
        return [
            {"contentBlockStart": {"contentBlockIndex": 0, "start": start}},
            {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"toolUse": {"input": raw.strip()}}}},
            {"contentBlockStop": {"contentBlockIndex": 0}},
            {"messageStop": {"stopReason": "tool_use"}},
            _usage_event(),
        ]

    async def _words(self, text: str) -> AsyncIterator[dict]:
        for stop in self.config.get("stop_sequences") or ():
            text = text.partition(stop)[0]
        words = text.split(" ")
        limit = self.config.get("max_tokens")
        pause = self.config["delay_ms"] / 1000
        reason = "end_turn"
        for index, word in enumerate(words):
            if limit is not None and index >= limit:
                reason = "max_tokens"
                break
            if index and pause:
                await asyncio.sleep(pause)
            piece = word if index == 0 else f" {word}"
            yield {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": piece}}}
        yield {"contentBlockStop": {"contentBlockIndex": 0}}
        yield {"messageStop": {"stopReason": reason}}
        yield _usage_event()
