"""Structured JSON logs on stdout, which CloudWatch stores one line per record.

A few lines of its own instead of the ``logging`` package: that package takes about 20 ms
to import, and a Lambda function only needs one JSON line per record. Libraries that use
``logging`` keep their own output.

    log = get_logger(__name__)
    log.info("message queued", response_uuid=uuid)

Every line written while an invocation is handled carries its Lambda ``request_id``
(``begin_invocation``), so one request's lines can be found together in CloudWatch; with
tracing on, lines written during an agent run also carry its ``trace_id`` and ``span_id``.
"""

from __future__ import annotations

import json
import sys
import time

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}
# Until ``configure`` runs (scripts, tests), only warnings and errors are written, to
# stderr, as the logging package's last resort does; stdout stays the program's own.
_config = {"service": "agent", "level": LEVELS["WARNING"], "stream": "stderr"}
# The invocation being handled. Lambda gives an execution environment one invocation at a time,
# so one value for the process is right, on every thread (tools and agent loops run on others).
_invocation: dict[str, str] = {}


class Logger:
    def __init__(self, name: str) -> None:
        self.name = name

    def debug(self, message: str, **fields: object) -> None:
        self._write("DEBUG", message, fields)

    def info(self, message: str, **fields: object) -> None:
        self._write("INFO", message, fields)

    def warning(self, message: str, **fields: object) -> None:
        self._write("WARNING", message, fields)

    def error(self, message: str, **fields: object) -> None:
        self._write("ERROR", message, fields)

    def exception(self, message: str, **fields: object) -> None:
        """An ERROR with the exception being handled and its traceback."""
        import traceback  # only when something went wrong

        self._write("ERROR", message, {**fields, "exception": traceback.format_exc().rstrip()})

    def _write(self, level: str, message: str, fields: dict[str, object]) -> None:
        if LEVELS[level] < _config["level"]:
            return
        now = time.time()
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z",
            "level": level,
            "service": _config["service"],
            "logger": self.name,
            "message": message,
            **_invocation,
            **fields,
        }
        stream = getattr(sys, _config["stream"])
        stream.write(json.dumps(entry, default=str) + "\n")
        stream.flush()


def configure(service: str, level: str) -> Logger:
    """Set the service name and level for every logger of this package."""
    if level not in LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LEVELS)}; got {level!r}")
    _config.update(service=service, level=LEVELS[level], stream="stdout")
    return get_logger(__package__)


def begin_invocation(request_id: object) -> None:
    """From now on, every line carries ``request_id`` (none when it is not a non-empty string)."""
    _invocation.clear()
    if isinstance(request_id, str) and request_id:
        _invocation["request_id"] = request_id


def write_document(entry: dict) -> None:
    """One JSON document as its own line on stdout (an EMF metrics record), once ``configure``
    has run: scripts and tests keep stdout to themselves."""
    if _config["stream"] == "stdout":
        sys.stdout.write(json.dumps(entry, separators=(",", ":"), default=str) + "\n")
        sys.stdout.flush()


def bind(**fields: str) -> None:
    """Add ``fields`` (a run's ``trace_id`` and ``span_id``) to every line until ``unbind``."""
    _invocation.update(fields)


def unbind(*names: str) -> None:
    for name in names:
        _invocation.pop(name, None)


def correlation() -> dict[str, str]:
    """The ids every line carries now: ``request_id`` and, with tracing on, the run's span."""
    return dict(_invocation)


def get_logger(name: str) -> Logger:
    return Logger(name)
