"""CloudWatch Embedded Metric Format: one JSON line on stdout that CloudWatch Logs turns into
metrics, with no client library and no API call from the function.

    line = emf.document("Agents", {"service": "agent"}, {"ToolCalls": (2, "Count")})

Metric values are numbers, or lists of up to 100 numbers (one per sample); dimensions are
strings. ``properties`` are searchable in CloudWatch Logs Insights but are not metrics.
"""

from __future__ import annotations

import time

from .. import logs


def document(
    namespace: str,
    dimensions: dict[str, str],
    metrics: dict[str, tuple[float | list[float], str]],
    properties: dict[str, object] | None = None,
    timestamp_ms: int | None = None,
) -> dict:
    """The EMF document: ``metrics`` maps each name to its value(s) and unit."""
    declared = [{"Name": name, "Unit": unit} for name, (_, unit) in metrics.items()]
    return {
        **(properties or {}),
        **dimensions,
        **{name: value for name, (value, _) in metrics.items()},
        "_aws": {
            "Timestamp": int(time.time() * 1000) if timestamp_ms is None else timestamp_ms,
            "CloudWatchMetrics": [
                {"Namespace": namespace, "Dimensions": [list(dimensions)], "Metrics": declared}
            ],
        },
    }


def write(entry: dict) -> None:
    """One line on stdout, where Lambda's log stream picks it up (once logs are configured)."""
    logs.write_document(entry)
