"""What the deploy tool may know about this package: names and settings, nothing that runs.

``ship`` (beside ``src/``) builds the image and deploys the functions from outside the package;
it imports this module and nothing else of it (tests/infrastructure/test_ship_packaging.py holds it to that),
so the function's code can change behind these names without ship noticing.
"""

from pathlib import Path

from .agent.provider_settings import PROVIDER_MODULES
from .agent.remote_config import parse_servers
from .settings import DEFAULT_MODELS, VARIABLES, mask

__all__ = ["DEFAULT_MODELS", "PROVIDERS", "SECRET_VARIABLES", "has_provider", "mask", "parse_servers"]

# Every variable the functions read, and whether its value is a secret (masked when printed).
SECRET_VARIABLES = VARIABLES
# The LLM_PROVIDER values this kit's agent can run.
PROVIDERS = tuple(PROVIDER_MODULES)
AGENT = Path(__file__).resolve().parent / "agent"


def has_provider(llm_provider: str) -> bool:
    """Whether this kit's agent holds a module for the provider."""
    module = PROVIDER_MODULES.get(llm_provider)
    return module is not None and (AGENT / f"{module}.py").is_file()
