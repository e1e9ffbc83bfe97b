"""Where an invocation's spans hang in a trace: a caller's W3C ``traceparent``, the X-Ray
header Lambda gives a function with active tracing, or the context a queued message carries.

Plain strings and tuples, no OpenTelemetry import: handlers call ``begin_invocation`` on every
invocation, and tracing off must cost nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections import namedtuple

from ..settings import Settings

Parent = namedtuple("Parent", ["trace_id", "span_id", "sampled"])
Parent.__doc__ = "A remote parent span: 32 and 16 lowercase hex digits, and whether it is sampled."

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_ZERO_TRACE, _ZERO_SPAN = "0" * 32, "0" * 16
_current: dict[str, Parent | None] = {"parent": None}


def from_traceparent(header: object) -> Parent | None:
    """``00-<trace id>-<span id>-<flags>``; None when absent or malformed (a new trace starts)."""
    if not isinstance(header, str):
        return None
    match = _TRACEPARENT.match(header.strip().lower())
    if not match or match[1] == _ZERO_TRACE or match[2] == _ZERO_SPAN:
        return None
    return Parent(match[1], match[2], int(match[3], 16) & 1 == 1)


def from_xray(header: object) -> Parent | None:
    """``Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1``."""
    if not isinstance(header, str):
        return None
    fields = dict(part.strip().partition("=")[::2] for part in header.split(";"))
    root, parent = fields.get("Root", ""), fields.get("Parent", "").lower()
    version, _, rest = root.partition("-")
    trace_id = rest.replace("-", "").lower()
    if version != "1" or not re.fullmatch(r"[0-9a-f]{32}", trace_id):
        return None
    if not re.fullmatch(r"[0-9a-f]{16}", parent) or parent == _ZERO_SPAN:
        return None
    return Parent(trace_id, parent, fields.get("Sampled") == "1")


def traceparent(trace_id: str, span_id: str, sampled: bool = True) -> str:
    return f"00-{trace_id}-{span_id}-{'01' if sampled else '00'}"


def for_run(run_id: str) -> Parent:
    """The same parent on every invocation of a run that spans invocations: one trace a run."""
    digest = hashlib.sha256(run_id.encode()).hexdigest()
    return Parent(digest[:32], digest[32:48], True)


def begin_invocation(settings: Settings, traceparent: object = None, xray: object = None) -> None:
    """Set the parent of the spans made until the next invocation, from a caller's W3C
    ``traceparent`` or, when spans go to X-Ray, the function's own X-Ray segment (``xray``,
    ``_X_AMZN_TRACE_ID``). Neither: each run starts a trace."""
    parent = from_traceparent(traceparent)
    if settings.traces_exporter == "xray":
        parent = from_xray(xray) or parent
    _current["parent"] = parent


def begin_run(parent: Parent | None) -> None:
    """Set the parent of the spans of one run (a queued message's, a run's own)."""
    _current["parent"] = parent


def header(headers: object, name: str) -> str | None:
    """One HTTP header of a Lambda event's ``headers``, whatever the case of its name."""
    if not isinstance(headers, dict):
        return None
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name:
            return value if isinstance(value, str) else None
    return None


def current() -> Parent | None:
    return _current["parent"]
