"""What the Lambda Web Adapter accepts, and what each of the two functions must set.

The adapter ignores a variable it does not know and treats an invoke mode it does not
recognise as ``buffered``, silently: a typo turns streaming off with no error anywhere.
The infrastructure tests (one per infrastructure option) check every ``AWS_LWA_*``
variable they deploy against this list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

STATUS_RANGES = re.compile(r"\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*")


def _status_codes(value: str) -> bool:
    if not STATUS_RANGES.fullmatch(value):
        return False
    for part in value.split(","):
        low, _, high = part.partition("-")
        if not 100 <= int(low) <= int(high or low) <= 599:
            return False
    return True


def _port(value: str) -> bool:
    return value.isdigit() and 1 <= int(value) <= 65535


def _path(value: str) -> bool:
    return value.startswith("/") and not any(c.isspace() for c in value)


def _one_of(*allowed: str) -> Callable[[str], bool]:
    return lambda value: value.lower() in allowed


# Every variable the adapter documents (awslabs/aws-lambda-web-adapter README, 0.9.x).
ADAPTER_VARIABLES: dict[str, Callable[[str], bool]] = {
    "AWS_LWA_PORT": _port,
    "AWS_LWA_READINESS_CHECK_PORT": _port,
    "AWS_LWA_READINESS_CHECK_PATH": _path,
    "AWS_LWA_READINESS_CHECK_PROTOCOL": _one_of("http", "tcp"),
    "AWS_LWA_READINESS_CHECK_MIN_UNHEALTHY_STATUS": lambda v: v.isdigit() and 100 <= int(v) <= 599,
    "AWS_LWA_ASYNC_INIT": _one_of("true", "false"),
    "AWS_LWA_REMOVE_BASE_PATH": _path,
    "AWS_LWA_ENABLE_COMPRESSION": _one_of("true", "false"),
    "AWS_LWA_INVOKE_MODE": _one_of("buffered", "response_stream"),
    "AWS_LWA_PASS_THROUGH_PATH": _path,
    "AWS_LWA_AUTHORIZATION_SOURCE": lambda v: bool(v.strip()),
    "AWS_LWA_ERROR_STATUS_CODES": _status_codes,
    "AWS_LWA_LAMBDA_RUNTIME_API_PROXY": lambda v: bool(v.strip()),
}

# The two functions built from the one image. The HTTP function streams through its
# Function URL (and through a streaming REST API in front of it: the same mode covers both);
# the worker stays buffered (streaming applies to every invocation of a function, and SQS
# needs a plain JSON answer) and takes SQS and schedule events at the pass-through path,
# with 5xx answers failing the invocation so SQS retries.
HTTP_FUNCTION = {"AWS_LWA_INVOKE_MODE": "response_stream"}
WORKER_FUNCTION = {
    "AWS_LWA_INVOKE_MODE": "buffered",
    "AWS_LWA_PASS_THROUGH_PATH": "/events",
    "AWS_LWA_ERROR_STATUS_CODES": "500-599",
}


# Deprecated names without the prefix, still read by 0.9.x but not by later releases.
LEGACY_NAMES = frozenset(
    {
        "READINESS_CHECK_PORT",
        "READINESS_CHECK_PATH",
        "READINESS_CHECK_PROTOCOL",
        "REMOVE_BASE_PATH",
        "ASYNC_INIT",
    }
)


def meant_for_the_adapter(name: str) -> bool:
    upper = name.upper()
    return "LWA" in upper or "WEB_ADAPTER" in upper or upper in LEGACY_NAMES


def problems(variables: Mapping[str, object]) -> list[str]:
    """One line per adapter variable the adapter would ignore or misread."""
    found = []
    for name, value in variables.items():
        if not meant_for_the_adapter(name):
            continue
        check = ADAPTER_VARIABLES.get(name)
        if name.upper() in LEGACY_NAMES:
            found.append(f"{name}: deprecated; use AWS_LWA_{name.upper()}")
        elif check is None:
            found.append(f"{name}: not a variable the Lambda Web Adapter reads")
        elif not isinstance(value, str):
            found.append(f"{name}: must be a plain string, got {value!r}")
        elif not check(value):
            found.append(f"{name}: the adapter does not accept {value!r}")
    return found
