"""One model call of a LangGraph run as the kit's ``model_call`` record: when it started, when its
first text or tool call chunk came, why it stopped and the tokens its provider reported.

The kit's middleware times each call of the model node and announces its end with the model's
``AIMessage``; LangChain normalises what every provider reports into that message: the tokens
in ``usage_metadata``, the provider's own stop reason in ``response_metadata``, which this module
says in OpenAI's terms.
"""

from __future__ import annotations

import time

from langchain_core.messages import AIMessage

from ..settings import Settings
from .events import AgentEvent, model_call

# Providers' stop reasons, as the OpenAI finish_reason callers know (OpenAI's own pass through).
FINISH_REASONS = {
    "stop": "stop",
    "end_turn": "stop",
    "stop_sequence": "stop",
    "tool_calls": "tool_calls",
    "tool_use": "tool_calls",
    "length": "length",
    "max_tokens": "length",
    "content_filter": "content_filter",
    "content_filtered": "content_filter",
    "guardrail_intervened": "content_filter",
}


def record(
    started: float, first_token: float | None, answer: AIMessage | None, settings: Settings
) -> AgentEvent:
    """The call that started at ``started`` and ended now with ``answer`` (None: it failed)."""
    if answer is None:
        return model_call(
            settings.agent_model, settings.llm_provider, started, first_token, error="provider_error"
        )
    if first_token is None and (answer.content or answer.tool_calls or answer.invalid_tool_calls):
        first_token = time.time()  # a model that gave its whole answer at once
    usage = answer.usage_metadata or {}
    return model_call(
        settings.agent_model,
        settings.llm_provider,
        started,
        first_token,
        finish_reason(answer),
        usage.get("input_tokens"),
        usage.get("output_tokens"),
    )


def finish_reason(answer: AIMessage) -> str:
    """``tool_calls`` when the answer asks for tools, else the provider's stop reason (OpenAI's
    ``finish_reason``, Converse's ``stopReason``, Anthropic's ``stop_reason``) in OpenAI's terms."""
    if answer.tool_calls or answer.invalid_tool_calls:
        return "tool_calls"
    metadata = answer.response_metadata or {}
    reason = metadata.get("finish_reason") or metadata.get("stopReason") or metadata.get("stop_reason")
    return FINISH_REASONS.get(reason, "stop")
