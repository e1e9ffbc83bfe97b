"""Your agent: what it is told and which tools it has, as a Pydantic AI ``Agent``.

One ``Agent`` serves every request: it keeps no conversation between runs. The kit runs it with
the model ``LLM_PROVIDER`` names, the conversation so far as its message history, and at most
``AGENT_MAX_STEPS`` model requests, and streams every step to the caller.
"""

from __future__ import annotations

from pydantic_ai import Agent

from .tools import toolset

SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly. Use the tools when they help."

agent = Agent(instructions=SYSTEM_PROMPT, toolsets=[toolset], name="agent")
