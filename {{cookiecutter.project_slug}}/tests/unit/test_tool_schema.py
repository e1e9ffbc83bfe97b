"""Tool schemas from signatures and docstrings, and arguments checked against them."""

from __future__ import annotations

from typing import Literal

import pytest

from {{ cookiecutter.package_name }}.kit.agent import schema


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ("str", {"type": "string"}),
        ("int", {"type": "integer"}),
        ("float", {"type": "number"}),
        ("bool", {"type": "boolean"}),
        ("list", {"type": "array"}),
        ("list[str]", {"type": "array", "items": {"type": "string"}}),
        ("list[list[int]]", {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}),
        ("tuple[int, ...]", {"type": "array", "items": {"type": "integer"}}),
        ("dict", {"type": "object"}),
        ("dict[str, float]", {"type": "object", "additionalProperties": {"type": "number"}}),
        ("dict[str, Any]", {"type": "object"}),
        ("Literal['a', 'b']", {"type": "string", "enum": ["a", "b"]}),
        ('Literal["x, y", "z"]', {"type": "string", "enum": ["x, y", "z"]}),
        ("Literal[1, 2]", {"type": "integer", "enum": [1, 2]}),
        ("typing.Literal['a']", {"type": "string", "enum": ["a"]}),
        ("int | None", {"type": ["integer", "null"]}),
        ("None | str", {"type": ["string", "null"]}),
        ("Optional[str]", {"type": ["string", "null"]}),
        ("Literal['a'] | None", {"type": ["string", "null"], "enum": ["a", None]}),
        ("int | str", {"anyOf": [{"type": "integer"}, {"type": "string"}]}),
        (
            "Union[int, list[str]]",
            {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"type": "string"}}]},
        ),
        ("list[str] | None", {"type": ["array", "null"], "items": {"type": "string"}}),
        ("int | str | None", {"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]}),
        ("Any", {}),
        ("MyClass", {}),
        ("", {}),
    ],
)
def test_each_annotation_has_its_schema(annotation, expected):
    assert schema.annotation_schema(annotation) == expected


def test_annotations_that_are_types_work_too():
    assert schema.annotation_schema(int) == {"type": "integer"}
    assert schema.annotation_schema(list[str]) == {"type": "array", "items": {"type": "string"}}
    assert schema.annotation_schema(int | None) == {"type": ["integer", "null"]}


def sample(
    city: str,
    days: int = 3,
    units: Literal["metric", "imperial"] = "metric",
    tags: list[str] | None = None,
    *,
    detailed: bool = False,
    ctx: object,
) -> dict:
    """Forecast the weather
    for a city.

    Args:
        city: The city's name.
        days (int): How many days,
            counted from today.
        units: Metric or imperial.

    Returns:
        The forecast.
    """
    return {}


def test_a_tool_spec_comes_from_its_signature_and_docstring():
    spec = schema.tool_spec(sample)
    assert spec["name"] == "sample"
    assert spec["description"] == "Forecast the weather for a city."
    assert spec["parameters"] == {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "The city's name."},
            "days": {"type": "integer", "default": 3, "description": "How many days, counted from today."},
            "units": {
                "type": "string",
                "enum": ["metric", "imperial"],
                "default": "metric",
                "description": "Metric or imperial.",
            },
            "tags": {"type": ["array", "null"], "items": {"type": "string"}, "default": None},
            "detailed": {"type": "boolean", "default": False},
        },
        "required": ["city"],
        "additionalProperties": False,
    }


def test_sphinx_style_parameters_are_read_too():
    def lookup(term: str, *, ctx) -> str:
        """Look a term up.

        :param term: The word to look up.
        :returns: Its meaning.
        """
        return term

    spec = schema.tool_spec(lookup)
    assert spec["description"] == "Look a term up."
    assert spec["parameters"]["properties"]["term"] == {
        "type": "string",
        "description": "The word to look up.",
    }


def test_a_tool_without_a_docstring_is_described_by_its_name():
    def bare(x, *, ctx):
        return x

    spec = schema.tool_spec(bare)
    assert spec["description"] == "bare"
    assert spec["parameters"]["properties"] == {"x": {}}


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"city": "Oslo"}, None),
        ({"city": "Oslo", "days": 2, "units": "imperial", "tags": ["a"], "detailed": True}, None),
        ({"city": "Oslo", "tags": None}, None),
        ({}, "missing a required argument: 'city'"),
        ({"city": 1}, "argument 'city' must be a string"),
        ({"city": "Oslo", "days": 2.5}, "argument 'days' must be an integer"),
        ({"city": "Oslo", "days": False}, "argument 'days' must be an integer"),
        ({"city": "Oslo", "units": "kelvin"}, 'argument \'units\' must be one of "metric", "imperial"'),
        ({"city": "Oslo", "tags": ["a", 2]}, "argument 'tags'[1] must be a string"),
        ({"city": "Oslo", "tags": "a"}, "argument 'tags' must be a list or null"),
        ({"city": "Oslo", "detailed": "yes"}, "argument 'detailed' must be true or false"),
        ({"city": "Oslo", "when": "now"}, "unexpected argument 'when'"),
    ],
)
def test_arguments_are_checked_against_the_schema(arguments, problem):
    found = schema.problem_with(arguments, schema.tool_spec(sample)["parameters"])
    assert found == problem if problem is None else problem in found


def test_nested_items_name_the_bad_element():
    parameters = {
        "type": "object",
        "properties": {"grid": schema.annotation_schema("list[list[int]]")},
        "required": [],
    }
    assert (
        schema.problem_with({"grid": [[1], [2, "x"]]}, parameters)
        == "argument 'grid'[1][1] must be an integer"
    )
    numbers = {"type": "object", "properties": {"n": schema.annotation_schema("float")}, "required": []}
    assert schema.problem_with({"n": 3}, numbers) is None
    either = {"type": "object", "properties": {"v": schema.annotation_schema("int | str")}, "required": []}
    assert schema.problem_with({"v": [1]}, either) == "argument 'v' does not fit any of the allowed types"
