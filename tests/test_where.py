"""`make where` names the template file behind every path of every named combination."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import where
from conftest import ROOT, bake
from test_bake import CASES

ANY_JINJA = re.compile(rb"\{\{|\{%|\{#")


@pytest.mark.parametrize("answers", CASES)
def test_every_kit_path_has_exactly_the_source_where_names(cookies, answers):
    kit = bake(cookies, **answers)
    found = where.sources(where.context_for({k: where.answer_text(v) for k, v in answers.items()}))
    baked = {str(p.relative_to(kit)) for p in kit.rglob("*") if p.is_file()}
    assert baked == set(found)
    for path, source in found.items():
        data = (ROOT / source).read_bytes()
        if not ANY_JINJA.search(data):
            assert (kit / path).read_bytes() == data, f"{path} does not come from {source}"


def test_a_path_no_template_renders_is_one_error_line(capsys):
    assert where.main(["src/nowhere.py"]) == 1
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_nested_variant_folders_follow_one_order():
    """durable_runs > api_gateway > lexia_integration > llm_provider > infrastructure > runtime_flavor."""
    problems = [
        where.nesting_problem(p.relative_to(where.PAYLOAD))
        for p in sorted(where.PAYLOAD.rglob("*"))
        if p.is_file()
    ]
    assert [problem for problem in problems if problem] == []


@pytest.mark.parametrize(
    ("path", "broken"),
    [
        ("_variants/infrastructure/cdk/_variants/runtime_flavor/al2023-streaming/infra/flavor.py", False),
        ("_variants/durable_runs/yes/_variants/llm_provider/openai/x.py", False),
        ("_variants/runtime_flavor/al2023-streaming/_variants/infrastructure/cdk/infra/flavor.py", True),
        ("_variants/infrastructure/sam/_variants/durable_runs/yes/tests/x.py", True),
        ("_variants/sqs_worker/true/_variants/infrastructure/sam/x.py", True),
    ],
)
def test_the_nesting_check_names_a_path_out_of_order(path, broken):
    problem = where.nesting_problem(Path(path))
    assert (problem is not None) == broken
    if broken:
        assert problem.startswith(path)
