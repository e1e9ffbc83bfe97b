"""Optional parts of the deployment, one module each in this package, found by name.

A part is deployed after the functions and removed with them. Each module has ``SETTINGS`` (its
ship.toml keys: ``Whole``, ``Choice``, ``Flag``, ``Url`` or ``Table``), ``function_names(plan)``,
``environment(plan, identity)`` (variables every function gets from it), ``deploy(steps, image,
user_env, managed)`` and ``destroy(gone)``. A part that puts something in front of a function may
also have ``fixed_environment(plan, spec)`` (variables that function must get), ``front(steps,
arns)`` (deployed before the functions' permissions; returns an object with ``function``,
``source_arn`` and ``lines()``, or None), ``status(aws, plan, report)`` and ``remove_front(gone)``
(removed before the functions).

A part whose variables let the agent reach something may also have ``role_statements(plan,
partition, account)`` (IAM statements for every role of functions that run the agent, the
functions' shared role and any a part makes) and ``check_user_environment(plan, user)``
(raises ShipError for a user variable it must set itself; returns the names it drops).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from types import MappingProxyType, ModuleType
from typing import Any, NamedTuple


class Whole(NamedTuple):
    """A whole-number setting from ``low`` to ``high``."""

    default: int
    low: int
    high: int


class Choice(NamedTuple):
    """A string setting, one of ``values``."""

    default: str
    values: tuple[str, ...]


class Flag(NamedTuple):
    """A true-or-false setting."""

    default: bool = False


class Url(NamedTuple):
    """A string setting: empty or an http(s):// URL."""

    default: str = ""


class Table(NamedTuple):
    """A TOML table setting, empty by default; ``check(value)`` raises ValueError saying, in one
    line, what is wrong with it (a value that is not a table included)."""

    check: Callable[[object], None]
    default: Mapping[str, Any] = MappingProxyType({})


Setting = Whole | Choice | Flag | Url | Table


@cache
def modules() -> tuple[ModuleType, ...]:
    found = pkgutil.iter_modules(__path__)
    return tuple(importlib.import_module(f"{__name__}.{info.name}") for info in found)


def settings() -> dict[str, Setting]:
    """Every part's ship.toml settings, by key."""
    return {key: setting for part in modules() for key, setting in part.SETTINGS.items()}


def function_names(plan: Any) -> list[str]:
    """The functions the parts deploy, after the flavor's."""
    return [name for part in modules() for name in part.function_names(plan)]


def agent_role_statements(plan: Any, partition: str, account: str) -> list[dict]:
    """What the parts let every role of the agent's functions do (their ``role_statements``)."""
    return [statement for hook in hooks("role_statements") for statement in hook(plan, partition, account)]


def hooks(name: str) -> Iterator[Any]:
    """The parts' functions of this optional hook's name."""
    for part in modules():
        hook = getattr(part, name, None)
        if hook is not None:
            yield hook
