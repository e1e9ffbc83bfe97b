"""Strands' ``stream_async`` events, turned into the kit's events.

Strands' events are dicts that also carry the agent, the model, spans and the invocation state;
only plain values are read out of them here, so every payload is JSON.

- ``data``: a text piece -> ``delta``.
- ``current_tool_use``: a call's input text as it grows, kept: the ``tool_call`` shows it as the
  model sent it (Strands replaces input that is not a JSON object by ``{}``).
- ``kit_tool_start`` (``guard.announce_calls``): a tool is about to run -> ``tool_call``.
- ``tool_stream_event``: a value the tool yielded. Strands streams EVERY yield of an async
  generator tool, the last one (its result) too, so a text line is progress (-> ``status`` with
  the call's id) and anything else is kept as the tool's possible output.
- ``kit_tool_result``: the tool ended -> ``tool_result``, its output read back to the value the
  tool yielded last.
- ``tool_cancel_event``: a call the guard refused -> ``tool_call`` and its ``tool_result`` error.
- ``kit_model_call`` (``model_calls.ModelCalls``): a model call ended -> its ``model_call``.
- ``message`` from the user: the turn's ``toolResult`` blocks; any call not reported yet (Strands
  refused it before it could run) -> its ``tool_call`` and ``tool_result`` here.
"""

from __future__ import annotations

import json

from .events import AgentEvent, ToolCall, delta, status, tool_call, tool_result

# Strands stop reasons that cut the answer short, as the OpenAI finish_reason callers know.
FINISH_REASONS = {
    "max_tokens": "length",
    "content_filtered": "content_filter",
    "guardrail_intervened": "content_filter",
}


def arguments_from(raw: object, parsed: object) -> object:
    """A call's arguments as the kit shows them: a dict, or the raw text when not a JSON object."""
    if isinstance(raw, str):
        if not raw.strip():
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            return raw
        return value if isinstance(value, dict) else raw
    return parsed if isinstance(parsed, dict) else {}


def _text(outcome: dict) -> str:
    return "".join(block.get("text", "") for block in outcome.get("content", ()) if isinstance(block, dict))


class Translator:
    """Reads one run's Strands events in order; ``text`` is all the text streamed so far."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self._raw_inputs: dict[str, str] = {}  # toolUseId -> the input text as the model sent it
        self._calls: dict[str, ToolCall] = {}  # announced with a tool_call
        self._reported: set[str] = set()  # answered with a tool_result
        self._yielded: dict[str, object] = {}  # toolUseId -> the last value the tool yielded
        self._uses: dict[str, dict] = {}  # toolUseId -> the call as the assistant turn asked for it

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def arguments_of(self, use: dict) -> object:
        return arguments_from(self._raw_inputs.get(use.get("toolUseId")), use.get("input"))

    def events(self, event: dict) -> list[AgentEvent]:
        """The kit's events for one Strands event (often none)."""
        if "data" in event and isinstance(event["data"], str):
            if not event["data"]:
                return []
            self.parts.append(event["data"])
            return [delta(event["data"])]
        if "current_tool_use" in event:
            use = event["current_tool_use"] or {}
            if use.get("toolUseId") and isinstance(use.get("input"), str):
                self._raw_inputs[use["toolUseId"]] = use["input"]
            return []
        if "kit_model_call" in event:
            return [event["kit_model_call"]]
        if "kit_tool_start" in event:
            return self._call(event["kit_tool_start"])
        if "tool_stream_event" in event:
            return self._progress(event["tool_stream_event"])
        if "kit_tool_result" in event:
            return self._result(event["kit_tool_result"])
        if "tool_cancel_event" in event:
            cancelled = event["tool_cancel_event"]
            use = cancelled["tool_use"]
            outcome = {
                "toolUseId": use["toolUseId"],
                "status": "error",
                "content": [{"text": cancelled["message"]}],
            }
            return [*self._call(use), *self._result(outcome)]
        if "message" in event and isinstance(event["message"], dict):
            message = event["message"]
            if message.get("role") == "assistant":
                self._remember_uses(message)
                return []
            return self._unreported(message)
        return []

    def _call(self, use: dict) -> list[AgentEvent]:
        call_id = use["toolUseId"]
        if call_id in self._calls:
            return []
        call = self._calls[call_id] = ToolCall(call_id, use["name"], self.arguments_of(use))
        return [tool_call(call)]

    def _progress(self, streamed: dict) -> list[AgentEvent]:
        call_id = (streamed.get("tool_use") or {}).get("toolUseId")
        value = streamed.get("data")
        self._yielded[call_id] = value  # the last one is the result
        return [status(value, id=call_id)] if isinstance(value, str) else []

    def _result(self, outcome: dict) -> list[AgentEvent]:
        call_id = outcome["toolUseId"]
        if call_id in self._reported:
            return []
        self._reported.add(call_id)
        call = self._calls.get(call_id) or ToolCall(call_id, "", {})
        text = _text(outcome)
        if outcome.get("status") == "error":
            return [tool_result(call, error=text)]
        return [tool_result(call, output=self._output(call_id, text))]

    def _unreported(self, message: dict) -> list[AgentEvent]:
        events: list[AgentEvent] = []
        for block in message.get("content", ()):
            outcome = block.get("toolResult") if isinstance(block, dict) else None
            if outcome is None or outcome.get("toolUseId") in self._reported:
                continue
            use = self._uses.get(outcome["toolUseId"], {"toolUseId": outcome["toolUseId"], "name": ""})
            events += [*self._call(use), *self._result(outcome)]
        return events

    def _remember_uses(self, message: dict) -> None:
        """The calls an assistant turn asked for, in case Strands answers one without running it."""
        for block in message.get("content", ()):
            if isinstance(block, dict) and "toolUse" in block:
                self._uses[block["toolUse"]["toolUseId"]] = block["toolUse"]

    def _output(self, call_id: str, text: str) -> object:
        """The value the tool yielded last when the result text is its JSON (Strands sends the
        model ``json.dumps`` of it); else the text read as JSON; else the text."""
        if call_id in self._yielded:
            value = self._yielded.pop(call_id)
            if isinstance(value, str):
                return text  # Strands passes a text result on as it is
            try:
                if json.dumps(value, ensure_ascii=False) == text:
                    return value
            except (TypeError, ValueError):
                pass
        try:
            return json.loads(text)
        except ValueError:
            return text
