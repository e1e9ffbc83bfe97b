"""`make where` names the template file behind every path of every named combination."""

from __future__ import annotations

import re

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
