"""The one shared environment really holds what each kit pins, so `make check` in a kit
tests the versions the kit ships with."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest

from conftest import bake
from test_bake import CASES

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;#]+)")


def pins(requirements: Path) -> dict[str, str]:
    found = {}
    for line in requirements.read_text().splitlines():
        line = line.strip()
        if line.startswith("-r "):
            found.update(pins(requirements.parent / line[3:].strip()))
        elif match := PIN.match(line):
            found[match.group(1).lower()] = match.group(3)
    return found


# Kits of an agent framework build their own environment; the shared one stays framework-free.
BUILTIN_CASES = [case for case in CASES if case.values[0].get("agent_framework", "builtin") == "builtin"]


@pytest.mark.parametrize("answers", BUILTIN_CASES)
def test_shared_environment_has_every_kit_pin(cookies, answers):
    kit = bake(cookies, **answers)
    wanted = pins(kit / "requirements-lambda.txt") | pins(kit / "requirements-dev.txt")
    assert wanted, "the kit pins its dependencies"
    installed = {name: metadata.version(name) for name in wanted}
    assert installed == wanted
