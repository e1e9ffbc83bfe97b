"""Tools that run only once a person approves the call: ``approval_tools.py``'s ``approval_toolset``.

They are offered to the model only in runs: a run can wait hours for the decision at no
cost, a streamed request cannot, so ``POST /invoke`` and ``/v1/chat/completions`` never see
them.
"""

from __future__ import annotations

from pydantic_ai import FunctionToolset

from .. import author


def toolset() -> FunctionToolset:
    return author.module("approval_tools").approval_toolset


def names() -> frozenset[str]:
    return frozenset(toolset().tools)
