"""The module of the configured model provider, chosen by ``LLM_PROVIDER`` through
``provider_settings.PROVIDER_MODULES``, imported when first needed."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..settings import Settings
from .errors import ProviderError
from .provider_settings import PROVIDER_MODULES


def load_provider(name: str) -> ModuleType:
    """The provider's module; ProviderError naming what is missing when it cannot load."""
    module = f"{__package__}.{PROVIDER_MODULES[name]}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as problem:
        if problem.name != module:
            missing = f"needs {problem.name!r}, which is not installed; see requirements-lambda.txt"
            raise ProviderError(f"LLM_PROVIDER={name} {missing}") from None
        raise ProviderError(f"LLM_PROVIDER={name} is not part of this kit: {module} is missing") from None


def preload(settings: Settings) -> None:
    """Import the configured provider (and its SDK) during init, not on the first request.

    A provider that cannot load is reported on the first request, as an error event.
    """
    try:
        load_provider(settings.llm_provider)
    except ProviderError:
        return  # said again, as an error event, when a request needs the provider
