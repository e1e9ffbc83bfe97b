"""Your agent: what it is told. The kit runs it as a loop (the model answers or calls a
tool from ``tools.py``, the results go back, up to ``AGENT_MAX_STEPS`` model calls) and
streams every step to the caller.
"""

SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly. Use the tools when they help."
