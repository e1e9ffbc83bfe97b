"""What the deploy tool may know about this package: names and settings, nothing that runs.

``ship`` (beside ``src/``) builds the image and deploys the functions from outside the package;
it imports this module and nothing else of it (tests/test_ship_packaging.py holds it to that),
so the function's code can change behind these names without ship noticing.
"""

from pathlib import Path

from .agent.model import PROVIDER_MODULES
from .settings import DEFAULT_MODELS, VARIABLES, mask

__all__ = ["DEFAULT_MODELS", "SECRET_VARIABLES", "has_provider", "mask", "provider_module"]

# Every variable the functions read, and whether its value is a secret (masked when printed).
SECRET_VARIABLES = VARIABLES
AGENT = Path(__file__).resolve().parent / "agent"


def provider_module(llm_provider: str) -> str:
    """The agent module that talks to this provider, as a path inside the package."""
    return f"agent/{PROVIDER_MODULES[llm_provider]}.py"


def has_provider(llm_provider: str) -> bool:
    """Whether this kit holds the provider's module (echo always; the one it was generated with)."""
    return (AGENT / f"{PROVIDER_MODULES[llm_provider]}.py").is_file()
