"""Your agent, written with LangChain's ``create_agent`` (a LangGraph graph): what it is told and
which tools it has.

The kit calls ``build_agent`` once per request with the model ``LLM_PROVIDER`` chose and the kit's
middleware, then streams the run to the caller: text, each tool call with its progress lines and
result, the answer. The kit's middleware stops the run after ``AGENT_MAX_STEPS`` model calls,
sends a failing tool's error back to the model and runs a turn's tools one at a time; add your own
middleware after it.
"""

from __future__ import annotations

from langchain.agents import create_agent

from .tools import echo, slow_process

SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly. Use the tools when they help."


def build_agent(model, middleware):
    return create_agent(
        model,
        tools=[slow_process, echo],
        system_prompt=SYSTEM_PROMPT,
        middleware=middleware,
    )
