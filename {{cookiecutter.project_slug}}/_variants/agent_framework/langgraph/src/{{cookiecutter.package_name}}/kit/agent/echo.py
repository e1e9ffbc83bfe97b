"""The echo provider, as a LangChain chat model: streams the last user message back, word by word.

It needs no key and no network, so tests and local runs are deterministic. It drives the tool
loop too: a last user message ``/tool <name> <json arguments>`` asks for that tool call (id
``call_echo_<n>``; arguments that are not JSON come back as LangChain's invalid tool call, as from
a real model), and once the results are in, the answer is a sentence per result, ``<name>
returned <output>`` or ``<name> failed with <error>``. A model of its own because LangChain's fake
chat models cannot bind tools.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator, Sequence
from functools import reduce
from operator import add

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
    message_chunk_to_message,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool

from ..settings import Settings
from .model import max_tokens, stop_sequences

TOOL_COMMAND = "/tool "


def build(settings: Settings, options: dict) -> EchoModel:
    return EchoModel(
        delay_ms=settings.echo_delay_ms, max_tokens=max_tokens(options), stop=stop_sequences(options)
    )


def failure(problem: BaseException, settings: Settings) -> str | None:
    return None  # the echo model does not fail


class EchoModel(BaseChatModel):
    delay_ms: int = 0
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()

    @property
    def _llm_type(self) -> str:
        return "echo"

    def bind_tools(self, tools, **kwargs):
        return self.bind(tools=[convert_to_openai_tool(tool) for tool in tools], **kwargs)

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        reply = reduce(add, self._chunks(messages, stop))
        return ChatResult(generations=[ChatGeneration(message=message_chunk_to_message(reply))])

    async def _astream(
        self, messages, stop=None, run_manager=None, **kwargs
    ) -> AsyncIterator[ChatGenerationChunk]:
        for index, chunk in enumerate(self._chunks(messages, stop)):
            if index and chunk.content and self.delay_ms:
                await asyncio.sleep(self.delay_ms / 1000)
            yield ChatGenerationChunk(message=chunk)

    def _chunks(self, messages: Sequence[BaseMessage], stop: list[str] | None) -> Iterator[AIMessageChunk]:
        turns = [m for m in messages if not isinstance(m, SystemMessage)]
        last = turns[-1] if turns else None
        if isinstance(last, ToolMessage):
            text = _answer_to_tools(turns)
        else:
            text = next((str(m.text) for m in reversed(turns) if isinstance(m, HumanMessage)), "")
            if isinstance(last, HumanMessage) and text.startswith(TOOL_COMMAND):
                yield _tool_request(text, turns)
                yield _finish("tool_calls")
                return
        text = text or "(nothing to echo)"
        for cut in [*self.stop, *(stop or ())]:
            text = text.partition(cut)[0]
        for index, word in enumerate(text.split(" ")):
            if self.max_tokens is not None and index >= self.max_tokens:
                yield _finish("length")
                return
            yield AIMessageChunk(content=word if index == 0 else f" {word}")
        yield _finish("stop")


def _finish(reason: str) -> AIMessageChunk:
    return AIMessageChunk(content="", response_metadata={"finish_reason": reason}, chunk_position="last")


def _tool_request(text: str, turns: Sequence[BaseMessage]) -> AIMessageChunk:
    name, _, raw = text[len(TOOL_COMMAND) :].strip().partition(" ")
    turn = 1 + sum(1 for m in turns if isinstance(m, AIMessage) and (m.tool_calls or m.invalid_tool_calls))
    piece = {"name": name, "args": raw.strip() or "{}", "id": f"call_echo_{turn}", "index": 0}
    return AIMessageChunk(content="", tool_call_chunks=[piece])


def _answer_to_tools(turns: Sequence[BaseMessage]) -> str:
    """A sentence per tool result at the end of the conversation."""
    names = {call["id"]: call["name"] for m in turns if isinstance(m, AIMessage) for call in m.tool_calls}
    names.update(
        (call["id"], call["name"]) for m in turns if isinstance(m, AIMessage) for call in m.invalid_tool_calls
    )
    sentences = []
    for message in reversed(turns):
        if not isinstance(message, ToolMessage):
            break
        name = names.get(message.tool_call_id) or message.name or "the tool"
        content = message.content if isinstance(message.content, str) else json.dumps(message.content)
        verb = "failed with" if message.status == "error" else "returned"
        sentences.insert(0, f"{name} {verb} {content}")
    return " ".join(sentences)
