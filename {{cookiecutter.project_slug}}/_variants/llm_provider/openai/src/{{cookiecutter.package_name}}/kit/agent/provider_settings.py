"""The models this kit runs, and what the OpenAI-compatible client reads from the environment.

``echo`` needs no key, so tests and local runs work offline; ``openai`` is any endpoint that
speaks the Chat Completions API.
"""

from __future__ import annotations

# ``LLM_PROVIDER`` -> the module of this package that streams that model's turns.
PROVIDER_MODULES = {"echo": "echo", "openai": "openai_chat"}
DEFAULT_MODELS = {"echo": "echo", "openai": "gpt-4o-mini"}
# ``LLM_PROVIDER`` -> the provider's name in traces (``gen_ai.provider.name``).
GEN_AI_PROVIDERS = {"echo": "echo", "openai": "openai"}

# The variables only this provider reads, and whether each value is a secret.
VARIABLES = {
    "OPENAI_BASE_URL": False,
    "OPENAI_API_KEY": True,
    "OPENAI_API_KEY_SECRET_ID": False,
    "OPENAI_API_KEY_PARAMETER": False,
}
DEFAULTS = {
    "openai_base_url": "",  # empty: the SDK's own default endpoint
    "openai_api_key": "",
    "openai_api_key_secret_id": "",
    "openai_api_key_parameter": "",
}
