"""Parts of the stack beyond its functions, URL, queue, schedule and API key, one module each.

Every module here has ``add(factory, functions, model_access)``; the stack calls each one,
in name order, once its functions exist. Adding a part to the stack means adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType


def every() -> Iterator[ModuleType]:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        yield importlib.import_module(f"{__name__}.{info.name}")
