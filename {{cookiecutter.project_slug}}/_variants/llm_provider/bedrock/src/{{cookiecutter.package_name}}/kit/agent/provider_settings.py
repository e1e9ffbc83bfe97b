"""The models this kit runs, and what they read from the environment.

``echo`` needs no key, so tests and local runs work offline; ``bedrock`` calls the model
named by ``AGENT_MODEL`` with the function's own AWS credentials, so it reads nothing more.
"""

from __future__ import annotations

# ``LLM_PROVIDER`` -> the module of this package that streams that model's turns.
PROVIDER_MODULES = {"echo": "echo", "bedrock": "bedrock"}
DEFAULT_MODELS = {"echo": "echo", "bedrock": "anthropic.claude-3-haiku-20240307-v1:0"}
# ``LLM_PROVIDER`` -> the provider's name in traces (``gen_ai.provider.name``).
GEN_AI_PROVIDERS = {"echo": "echo", "bedrock": "aws.bedrock"}

# The variables only this provider reads (whether each value is a secret), and their defaults.
VARIABLES: dict[str, bool] = {}
DEFAULTS: dict[str, str] = {}
