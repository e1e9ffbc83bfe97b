"""Optional parts of the deployment, one module each in this package, found by name.

A part is deployed after the functions and removed with them. Each module has ``SETTINGS`` (its
ship.toml keys, each with a default, lowest and highest value), ``function_names(plan)``,
``environment(plan, identity)`` (variables every function gets from it), ``deploy(steps, image,
user_env, managed)`` and ``destroy(gone)``.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType
from typing import Any


@cache
def modules() -> tuple[ModuleType, ...]:
    found = pkgutil.iter_modules(__path__)
    return tuple(importlib.import_module(f"{__name__}.{info.name}") for info in found)


def settings() -> dict[str, tuple[int, int, int]]:
    """Every part's ship.toml settings: key -> (default, lowest, highest)."""
    return {key: limits for part in modules() for key, limits in part.SETTINGS.items()}


def function_names(plan: Any) -> list[str]:
    """The functions the parts deploy, after the flavor's."""
    return [name for part in modules() for name in part.function_names(plan)]
