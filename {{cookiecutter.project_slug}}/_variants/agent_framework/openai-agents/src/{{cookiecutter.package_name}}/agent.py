"""Your agent: what it is told and which tools it has, as an OpenAI Agents SDK ``Agent``.

One ``Agent`` serves every request: it keeps no conversation between runs. The kit runs it with
``Runner.run_streamed``, the model ``LLM_PROVIDER`` names, the conversation so far as its input
and ``max_turns=AGENT_MAX_STEPS``, and streams every step to the caller.
"""

from __future__ import annotations

from agents import Agent, set_tracing_disabled

from .tools import echo, slow_process

SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly. Use the tools when they help."

# The Agents SDK sends a trace of every run to OpenAI unless told not to. To send them, delete this
# line and give the SDK its key with set_tracing_export_api_key(...).
set_tracing_disabled(True)

agent = Agent(name="agent", instructions=SYSTEM_PROMPT, tools=[slow_process, echo])
