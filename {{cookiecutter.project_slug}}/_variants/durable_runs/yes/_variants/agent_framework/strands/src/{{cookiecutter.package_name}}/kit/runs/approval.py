"""Tools that run only once a person approves the call: ``approval_tools.py``'s ``APPROVAL_TOOLS``.

They are offered to the model only in runs: a run can wait hours for the decision at no
cost, a streamed request cannot, so ``POST /invoke`` and ``/v1/chat/completions`` never see
them.
"""

from __future__ import annotations

from .. import author


def tools() -> list:
    return list(author.module("approval_tools").APPROVAL_TOOLS)


def names() -> frozenset[str]:
    return frozenset(tool.tool_name for tool in tools())
