"""Shared helpers for baking kits and checking them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = json.loads((ROOT / "cookiecutter.json").read_text())
# The template's own environment holds every kit's dev dependencies (see test_dev_env.py).
SHARED_VENV = Path(sys.prefix)
TASK_ROOT_CACHE = ROOT / "build" / "task-root-cache"
LEFTOVER_JINJA = re.compile(r"\{\{\s*cookiecutter|\{%|%\}|\{#")


def holds_template_syntax(path: Path) -> bool:
    """Whether a rendered file still holds Jinja; a binary file (an image) is copied, never rendered."""
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return False
    return bool(LEFTOVER_JINJA.search(data.decode(errors="ignore")))


def default(name: str):
    """The default answer for a prompt, read from cookiecutter.json, never retyped."""
    value = DEFAULTS[name]
    return value[0] if isinstance(value, list) else value


def bake(cookies, **answers):
    result = cookies.bake(extra_context=answers)
    assert result.exception is None, result.exception
    assert result.exit_code == 0
    return result.project_path


class CloudFormationLoader(yaml.SafeLoader):
    """YAML loader that accepts CloudFormation short-form tags such as !Ref."""


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node)}
    return {suffix: loader.construct_mapping(node)}


CloudFormationLoader.add_multi_constructor("!", _any_tag)


def parse_data_file(path: Path):
    text = path.read_text()
    if path.suffix == ".toml":
        return tomllib.loads(text)
    if path.suffix in {".yml", ".yaml"}:
        return yaml.load(text, Loader=CloudFormationLoader)
    return json.loads(text)


def fresh_check(kit: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """The kit's own `make check` in a new environment built from its own files alone.

    uv (from the template's environment) only installs; the kit's .venv holds nothing but
    requirements-lambda.txt and requirements-dev.txt, fetched through the shared uv cache.
    """
    return run_in(kit, "make", "check", f"UV={SHARED_VENV / 'bin' / 'uv'}", timeout=timeout)


def run_in(kit: Path, *command: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run a command from inside a baked kit, as its own CI would."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    # Nothing of the template's environment leaks in: the kit finds only what it installs.
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
        env.pop(name, None)
    # Kits with the same requirements-lambda.txt share one install in their image simulation.
    env["KIT_TASK_ROOT_CACHE"] = str(TASK_ROOT_CACHE)
    # ...installed by uv from its shared cache: the same packages as pip's, in a fraction of the time.
    env["KIT_UV"] = str(SHARED_VENV / "bin" / "uv")
    return subprocess.run(command, cwd=kit, env=env, capture_output=True, text=True, timeout=timeout)


_SESSION_STARTED = time.monotonic()
FLAVORS = DEFAULTS["runtime_flavor"]


def flavor_of(item) -> str | None:
    """The runtime flavor a test bakes, read from its parameters; None for template-level tests."""
    for value in getattr(getattr(item, "callspec", None), "params", {}).values():
        if isinstance(value, dict) and set(value) <= set(DEFAULTS):
            return value.get("runtime_flavor", default("runtime_flavor"))
        if value in FLAVORS:
            return value
    return None


def pytest_collection_modifyitems(config, items):
    """SUITE_PART=<flavor> keeps the tests that bake that flavor; SUITE_PART=template keeps the
    rest. Unset runs everything (what `make test` and .ci/run do); CI's matrix runs one part a job."""
    part = os.environ.get("SUITE_PART", "").strip()
    if not part:
        return
    if part not in (*FLAVORS, "template"):
        raise pytest.UsageError(f"SUITE_PART must be one of {', '.join(FLAVORS)} or template; got {part!r}")
    keep = [item for item in items if (flavor_of(item) or "template") == part]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


def pytest_sessionfinish(session, exitstatus):
    """Record the whole suite's time for `make bench` (the controller only, not xdist workers).

    Only a run of the whole suite counts: a run of chosen files, -k or -m would overwrite the
    figure with a part of it."""
    config = session.config
    if hasattr(config, "workerinput") or config.args_source != pytest.Config.ArgsSource.TESTPATHS:
        return
    if config.option.keyword or config.option.markexpr:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    counts = {key: len(reporter.stats.get(key, [])) for key in ("passed", "failed")} if reporter else {}
    record = {
        "seconds": round(time.monotonic() - _SESSION_STARTED, 1),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "passed": counts.get("passed", 0),
        "failed": counts.get("failed", 0),
        "exitstatus": int(exitstatus),
    }
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "last-suite.json").write_text(json.dumps(record) + "\n")
