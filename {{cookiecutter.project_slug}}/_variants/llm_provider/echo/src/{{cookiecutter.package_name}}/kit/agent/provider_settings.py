"""The model this kit runs, and what it reads from the environment.

The echo model needs no key and no endpoint: ``ECHO_DELAY_MS`` and the shared
``AGENT_MODEL`` / ``LLM_TIMEOUT_S`` settings are all it reads.
"""

from __future__ import annotations

# ``LLM_PROVIDER`` -> the module of this package that streams that model's turns.
PROVIDER_MODULES = {"echo": "echo"}
DEFAULT_MODELS = {"echo": "echo"}
# ``LLM_PROVIDER`` -> the provider's name in traces (``gen_ai.provider.name``).
GEN_AI_PROVIDERS = {"echo": "echo"}

# The variables only this provider reads (whether each value is a secret), and their defaults.
VARIABLES: dict[str, bool] = {}
DEFAULTS: dict[str, str] = {}
