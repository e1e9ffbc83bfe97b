"""How a tool's result reads, as text: shared by the event stream and the echo model.

Pydantic AI keeps a tool's return value as it was returned (a dict, a model) and a failure as
a string or as pydantic's list of validation errors; the kit's events and the echo model's
answers want JSON and one readable line.
"""

from __future__ import annotations

import json

from pydantic_core import to_jsonable_python

# ``ToolReturnPart.outcome`` values that mean the call did not produce its output.
FAILED = ("failed", "retried", "denied", "interrupted")


def as_json(value: object) -> object:
    """``value`` as plain JSON data (dataclasses, pydantic models and dates included)."""
    return to_jsonable_python(value, fallback=str)


def output_text(content: object) -> str:
    """A successful result as the model reads it in the kit's own loop."""
    return content if isinstance(content, str) else json.dumps(as_json(content))


def error_text(content: object) -> str:
    """A failure in one line: pydantic's validation errors become ``argument 'x': why``."""
    if isinstance(content, str):
        return content
    if (
        isinstance(content, list)
        and content
        and all(isinstance(item, dict) and "msg" in item for item in content)
    ):
        lines = []
        for item in content:
            where = ".".join(str(part) for part in item.get("loc") or ())
            lines.append(f"argument {where!r}: {item['msg']}" if where else item["msg"])
        return "; ".join(lines)
    return output_text(content)
