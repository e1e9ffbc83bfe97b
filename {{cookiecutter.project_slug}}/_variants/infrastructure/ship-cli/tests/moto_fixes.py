"""What moto lacks for the AWS features this kit uses, one module each: ``moto_fix_<feature>.py``.

A fix module may have ``fix_server()``, which teaches the moto server in its own process, and
``fix_session(session)``, which registers botocore event hooks on a test's boto3 session.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

TESTS = Path(__file__).resolve().parent


def fixes() -> list[ModuleType]:
    found = pkgutil.iter_modules([str(TESTS)])
    return [importlib.import_module(info.name) for info in found if info.name.startswith("moto_fix_")]


def fix_server() -> None:
    for fix in fixes():
        if hasattr(fix, "fix_server"):
            fix.fix_server()


def fix_session(session) -> None:
    for fix in fixes():
        if hasattr(fix, "fix_session"):
            fix.fix_session(session)
