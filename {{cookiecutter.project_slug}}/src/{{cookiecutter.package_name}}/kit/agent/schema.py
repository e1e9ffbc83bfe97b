"""JSON Schemas for tools, read from their signatures and docstrings, and a checker for them.

Loaded on the first request that needs a tool's schema, never at cold start. Annotations
are strings (``from __future__ import annotations``), so they are parsed here as text
("list[str]", "Literal['a', 'b']", "int | None") rather than through ``inspect`` and
``typing``, which together take about 20 ms to import.
"""

from __future__ import annotations

import json
import re

_SCALARS = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "None": {"type": "null"},
    "NoneType": {"type": "null"},
}
_ARRAYS = ("list", "List", "tuple", "Tuple", "set", "Set", "frozenset", "Sequence", "Iterable")
_OBJECTS = ("dict", "Dict", "Mapping", "MutableMapping")
_ANY = ("Any", "object", "")
_KINDS = {str: "string", bool: "boolean", int: "integer", float: "number"}


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside brackets and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return parts


def _literal(text: str) -> object:
    if text[:1] in "'\"" and text[-1:] == text[:1]:
        return text[1:-1]
    constants = {"True": True, "False": False, "None": None}
    if text in constants:
        return constants[text]
    try:
        return json.loads(text)  # numbers
    except ValueError:
        return text  # an enum member or a constant: the model sees its name


def _nullable(schema: dict) -> dict:
    if isinstance(schema.get("type"), str):
        nullable = {**schema, "type": [schema["type"], "null"]}
        if "enum" in schema:
            nullable["enum"] = [*schema["enum"], None]
        return nullable
    return {"anyOf": [schema, {"type": "null"}]}


def annotation_schema(annotation: object) -> dict:
    """The JSON Schema of one annotation, given as text or as a type object."""
    if not isinstance(annotation, str):
        annotation = (
            getattr(annotation, "__name__", None) if isinstance(annotation, type) else str(annotation)
        )
    text = re.sub(r"\b(typing|collections\.abc|builtins)\.", "", str(annotation)).strip()
    options = _split(text, "|")
    if len(options) > 1:
        return _union(options)
    name, _, rest = text.partition("[")
    inner = _split(rest[:-1], ",") if rest.endswith("]") else []
    if name in _SCALARS and not inner:
        return dict(_SCALARS[name])
    if name in _ANY:
        return {}
    if name == "Optional" and len(inner) == 1:
        return _union([inner[0], "None"])
    if name == "Union" and inner:
        return _union(inner)
    if name == "Literal" and inner:
        values = [_literal(item) for item in inner]
        present = [value for value in values if value is not None]
        kinds = {type(value) for value in present}
        if len(kinds) != 1:
            return {"enum": values}
        literal = {"type": _KINDS[kinds.pop()], "enum": present}
        return _nullable(literal) if None in values else literal
    if name in _ARRAYS:
        items = [item for item in inner if item != "..."]
        schema: dict = {"type": "array"}
        if len(items) == 1:
            schema["items"] = annotation_schema(items[0])
        elif items and name in ("tuple", "Tuple"):
            schema["prefixItems"] = [annotation_schema(item) for item in items]
            schema["minItems"] = schema["maxItems"] = len(items)
        return schema
    if name in _OBJECTS:
        schema = {"type": "object"}
        if len(inner) == 2 and annotation_schema(inner[1]):
            schema["additionalProperties"] = annotation_schema(inner[1])
        return schema
    return {}  # a class of the tool's own: the tool checks it


def _union(options: list[str]) -> dict:
    nullable = any(option in ("None", "NoneType") for option in options)
    schemas = [annotation_schema(option) for option in options if option not in ("None", "NoneType")]
    if any(schema == {} for schema in schemas):
        return {}
    if len(schemas) > 1:
        return {"anyOf": [*schemas, {"type": "null"}] if nullable else schemas}
    return _nullable(schemas[0]) if nullable else schemas[0]


def _docstring(function: object) -> tuple[str, dict[str, str]]:
    """The description (the text before any section) and each parameter's description.

    Reads Google style (``Args:`` then ``name (type): text``) and Sphinx style
    (``:param name: text``); a description may go on over more indented lines.
    """
    lines = (getattr(function, "__doc__", None) or "").expandtabs().splitlines()
    summary: list[str] = []
    params: dict[str, str] = {}
    section, current, indent = "", None, 0
    for line in lines:
        stripped = line.strip()
        sphinx = re.match(r":param\s+(?:[^:]*\s)?(\w+):\s*(.*)", stripped)
        if sphinx:
            section, current = "sphinx", sphinx.group(1)
            params[current] = sphinx.group(2)
            continue
        if re.fullmatch(r"(Args|Arguments|Parameters|Params|Keyword Args):", stripped):
            section, current = "args", None
            continue
        if re.fullmatch(r"[A-Z]\w*( \w+)?:", stripped) or stripped.startswith(":"):
            section, current = "other", None
            continue
        if section == "":
            summary.append(stripped)
            continue
        if not stripped:
            current = None if section == "args" else current
            continue
        depth = len(line) - len(line.lstrip())
        entry = re.match(r"\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)", stripped)
        if section == "args" and entry and (current is None or depth <= indent):
            current, indent = entry.group(1), depth
            params[current] = entry.group(2)
        elif current is not None and section in ("args", "sphinx"):
            params[current] = f"{params[current]} {stripped}".strip()
    description = " ".join(" ".join(summary).split())
    return description, params


def _parameters(function: object) -> tuple[list[str], dict[str, object]]:
    """The names a tool takes by keyword, and the defaults of those that have one.

    Read from the code object, as ``inspect.signature`` would, without importing it.
    """
    code = function.__code__
    names = list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
    positional = names[: code.co_argcount]
    values = function.__defaults__ or ()
    defaults = dict(zip(positional[len(positional) - len(values) :], values, strict=True))
    defaults.update(function.__kwdefaults__ or {})
    return [name for name in names if name != "ctx"], defaults


def tool_spec(function: object) -> dict:
    """``{"name", "description", "parameters"}`` for one tool."""
    description, documented = _docstring(function)
    names, defaults = _parameters(function)
    annotations = getattr(function, "__annotations__", {})
    properties: dict[str, dict] = {}
    for name in names:
        schema = annotation_schema(annotations.get(name, ""))
        if name in defaults:
            try:
                json.dumps(defaults[name])
                schema["default"] = defaults[name]
            except (TypeError, ValueError):
                pass  # a default JSON cannot show; the tool still applies it
        if documented.get(name):
            schema["description"] = documented[name]
        properties[name] = schema
    parameters = {
        "type": "object",
        "properties": properties,
        "required": [name for name in names if name not in defaults],
        "additionalProperties": False,
    }
    return {
        "name": function.__name__,
        "description": description or function.__name__,
        "parameters": parameters,
    }


_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
    "array": "a list",
    "object": "an object",
}


def _is(value: object, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if kind == "array":
        return isinstance(value, list)
    return isinstance(value, dict)


def _mismatch(value: object, schema: dict, where: str) -> str | None:
    """Why ``value`` does not fit ``schema`` (the subset ``annotation_schema`` writes), or None."""
    if "anyOf" in schema:
        if any(_mismatch(value, option, where) is None for option in schema["anyOf"]):
            return None
        return f"{where} does not fit any of the allowed types"
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if kinds and not any(_is(value, kind) for kind in kinds):
        return f"{where} must be {' or '.join(_TYPE_NAMES[kind] for kind in kinds)}"
    if "enum" in schema and not any(value == v and type(value) is type(v) for v in schema["enum"]):
        return f"{where} must be one of {', '.join(json.dumps(v) for v in schema['enum'])}"
    if isinstance(value, list):
        items = schema.get("prefixItems")
        if items is not None and len(value) != len(items):
            return f"{where} must have {len(items)} items"
        for index, item in enumerate(value):
            item_schema = items[index] if items is not None else schema.get("items", {})
            problem = _mismatch(item, item_schema, f"{where}[{index}]")
            if problem:
                return problem
    if isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
        for key, item in value.items():
            problem = _mismatch(item, schema["additionalProperties"], f"{where}[{key!r}]")
            if problem:
                return problem
    return None


def problem_with(arguments: dict, parameters: dict) -> str | None:
    """Why ``arguments`` do not fit a tool's ``parameters`` schema, in one line; None if they do."""
    properties = parameters["properties"]
    unexpected = sorted(set(arguments) - set(properties))
    if unexpected:
        return f"unexpected argument {unexpected[0]!r}; it takes {', '.join(properties) or 'none'}"
    missing = [name for name in parameters["required"] if name not in arguments]
    if missing:
        return f"missing a required argument: {missing[0]!r}"
    for name, value in arguments.items():
        problem = _mismatch(value, properties[name], f"argument {name!r}")
        if problem:
            return problem
    return None
