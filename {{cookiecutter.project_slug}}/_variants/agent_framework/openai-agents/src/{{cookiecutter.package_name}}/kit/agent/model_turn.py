"""One model turn written as the Responses stream events the Agents SDK reads from a ``Model``.

The models the kit writes itself (the echo model among them) stream text as
``response.output_text.delta`` events and end with ``response.completed`` carrying the turn's
output: the message, then the function calls. A reply cut short by its token limit says so in
``incomplete_details``, which is how the kit reports ``finish_reason="length"`` (and a reply a
content filter stopped, ``content_filter``). A turn whose provider reported no tokens has no usage.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from agents import ModelSettings
from openai.types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseFunctionToolCall,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseTextDeltaEvent,
    ResponseUsage,
)
from openai.types.responses.response import IncompleteDetails
from openai.types.responses.response_usage import InputTokensDetails, OutputTokensDetails

from .events import ToolCall

MESSAGE_ID = "msg_turn"


def text_delta(text: str, sequence_number: int) -> ResponseTextDeltaEvent:
    return ResponseTextDeltaEvent.model_construct(
        type="response.output_text.delta",
        item_id=MESSAGE_ID,
        output_index=0,
        content_index=0,
        delta=text,
        logprobs=[],
        sequence_number=sequence_number,
    )


def completed(
    text: str,
    calls: Sequence[ToolCall] = (),
    *,
    incomplete: str | None = None,
    tokens: tuple[int, int] | None = None,
    sequence_number: int = 0,
) -> ResponseCompletedEvent:
    """The end of the turn: its whole output, why it stopped short (``max_output_tokens``,
    ``content_filter``; None when it did not) and its token counts (input, output), if known."""
    output: list = []
    if text:
        part = ResponseOutputText.model_construct(type="output_text", text=text, annotations=[], logprobs=[])
        output.append(
            ResponseOutputMessage.model_construct(
                id=MESSAGE_ID, type="message", role="assistant", status="completed", content=[part]
            )
        )
    for call in calls:
        arguments = call.arguments if isinstance(call.arguments, str) else json.dumps(call.arguments)
        output.append(
            ResponseFunctionToolCall.model_construct(
                id=call.id, call_id=call.id, type="function_call", name=call.name, arguments=arguments
            )
        )
    usage = None
    if tokens is not None:
        usage = ResponseUsage.model_construct(
            input_tokens=tokens[0],
            output_tokens=tokens[1],
            total_tokens=sum(tokens),
            input_tokens_details=InputTokensDetails.model_construct(cached_tokens=0),
            output_tokens_details=OutputTokensDetails.model_construct(reasoning_tokens=0),
        )
    response = Response.model_construct(
        id="resp_turn",
        object="response",
        output=output,
        usage=usage,
        status="incomplete" if incomplete else "completed",
        incomplete_details=IncompleteDetails(reason=incomplete) if incomplete else None,
    )
    return ResponseCompletedEvent.model_construct(
        type="response.completed", response=response, sequence_number=sequence_number
    )


def token_limit(settings: ModelSettings) -> int | None:
    """The caller's limit on the reply's length, under either of its names."""
    extra = settings.extra_args or {}
    return extra.get("max_completion_tokens", settings.max_tokens)


def stop_sequences(settings: ModelSettings) -> list[str]:
    stop = (settings.extra_args or {}).get("stop")
    if not stop:
        return []
    return [stop] if isinstance(stop, str) else list(stop)
