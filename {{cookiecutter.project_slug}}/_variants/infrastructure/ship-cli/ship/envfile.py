"""Environment for the function: ``KEY=VALUE`` lines from an env file and ``--env`` flags."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ShipError

KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Lambda refuses these names (it sets them itself).
RESERVED = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_DEFAULT_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_LAMBDA_RUNTIME_API",
        "AWS_REGION",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "LAMBDA_RUNTIME_DIR",
        "LAMBDA_TASK_ROOT",
    }
)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_pair(text: str, where: str) -> tuple[str, str]:
    """One ``KEY=VALUE``; ``where`` names the place in errors. Values are never echoed."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if key.startswith("export "):
        key = key[len("export ") :].strip()
    if not sep or not key:
        raise ShipError(f"{where}: expected KEY=VALUE")
    if not KEY.fullmatch(key):
        raise ShipError(
            f"{where}: {key!r} is not a valid variable name (letters, digits, _; starts with a letter)"
        )
    if key in RESERVED:
        raise ShipError(f"{where}: {key} is reserved by Lambda and cannot be set")
    return key, _unquote(value.strip())


def parse_env_text(text: str, source: str) -> dict[str, str]:
    """Parse an env file: blank lines and ``#`` comments are skipped; a repeated key is an error."""
    found: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, value = parse_pair(stripped, f"{source} line {number}")
        if key in found:
            raise ShipError(f"{source} line {number}: {key} is already set on line {first_line[key]}")
        found[key], first_line[key] = value, number
    return found


def read_env_file(path: Path) -> dict[str, str]:
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise ShipError(f"env file {path} not found") from None
    except UnicodeDecodeError:
        raise ShipError(f"env file {path} is not UTF-8 text") from None
    return parse_env_text(text, str(path))


def parse_env_flags(flags: list[str]) -> dict[str, str]:
    """``--env KEY=VALUE`` flags; a later flag for the same key wins, as on most command lines."""
    return dict(parse_pair(flag, f"--env {flag.partition('=')[0]!r}") for flag in flags)
