"""The rules of the CloudWatch Embedded Metric Format specification, checked on one document.

Written from the specification, not from the kit's code: a root object with ``_aws``
(``Timestamp`` in epoch milliseconds, ``CloudWatchMetrics`` directives), each directive a
``Namespace``, ``Dimensions`` (arrays of at most 30 names) and ``Metrics`` (at most 100, each a
``Name`` and a known ``Unit``), and every name a directive mentions a member of the root:
dimensions strings, metrics numbers or arrays of at most 100 numbers.
"""

from __future__ import annotations

import numbers

UNITS = {
    *["Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes"],
    *["Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "None"],
    *(f"{unit}/Second" for unit in ["Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes"]),
    *(f"{unit}/Second" for unit in ["Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Count"]),
}


def problems(document: object) -> list[str]:
    """What breaks the specification in ``document``; empty when it is valid."""
    if not isinstance(document, dict) or not isinstance(document.get("_aws"), dict):
        return ["the root must be an object with an _aws object"]
    found = []
    metadata = document["_aws"]
    timestamp = metadata.get("Timestamp")
    if not isinstance(timestamp, int) or isinstance(timestamp, bool) or timestamp < 0:
        found.append("_aws.Timestamp must be a non-negative integer (epoch milliseconds)")
    directives = metadata.get("CloudWatchMetrics")
    if not isinstance(directives, list) or not directives:
        return [*found, "_aws.CloudWatchMetrics must be a non-empty array"]
    for directive in directives:
        found.extend(_directive_problems(directive, document))
    return found


def _directive_problems(directive: object, document: dict) -> list[str]:
    if not isinstance(directive, dict):
        return ["a metric directive must be an object"]
    found = []
    namespace = directive.get("Namespace")
    if not isinstance(namespace, str) or not 1 <= len(namespace) <= 255:
        found.append("Namespace must be a string of 1 to 255 characters")
    dimension_sets = directive.get("Dimensions")
    if not isinstance(dimension_sets, list):
        found.append("Dimensions must be an array of dimension sets")
        dimension_sets = []
    for dimension_set in dimension_sets:
        if not isinstance(dimension_set, list) or len(dimension_set) > 30:
            found.append("a dimension set must be an array of at most 30 names")
            continue
        for name in dimension_set:
            if not isinstance(document.get(name), str):
                found.append(f"dimension {name!r} must be a string member of the root")
    metrics = directive.get("Metrics")
    if not isinstance(metrics, list) or len(metrics) > 100:
        return [*found, "Metrics must be an array of at most 100 metric definitions"]
    for metric in metrics:
        name = metric.get("Name") if isinstance(metric, dict) else None
        if not isinstance(name, str) or not 1 <= len(name) <= 1024:
            found.append("a metric needs a Name of 1 to 1024 characters")
            continue
        if "Unit" in metric and metric["Unit"] not in UNITS:
            found.append(f"metric {name!r} has an unknown Unit {metric['Unit']!r}")
        if not _is_metric_value(document.get(name)):
            found.append(f"metric {name!r} must be a number or at most 100 numbers in the root")
    return found


def _is_metric_value(value: object) -> bool:
    def number(item: object) -> bool:
        return isinstance(item, numbers.Real) and not isinstance(item, bool)

    if isinstance(value, list):
        return 0 < len(value) <= 100 and all(number(item) for item in value)
    return number(value)
