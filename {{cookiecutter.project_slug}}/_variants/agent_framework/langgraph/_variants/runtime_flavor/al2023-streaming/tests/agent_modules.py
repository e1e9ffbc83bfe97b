"""What the agent loads beyond the standard library: what ``import langchain.agents`` loads
(LangChain's ``create_agent``, LangGraph and the packages they import)."""

from __future__ import annotations

import subprocess
import sys
from functools import cache

# LangGraph imports these at cold start (asyncio, dataclasses, typing, ...): the framework's floor.
COSTLY = frozenset({"asyncio", "dataclasses", "inspect", "logging", "typing"})
FRAMEWORK_IMPORT = """
import sys
before = {name.partition(".")[0] for name in sys.modules}
import langchain.agents
print(" ".join(sorted({name.partition(".")[0] for name in sys.modules} - before)))
"""


@cache
def framework() -> frozenset[str]:
    """What ``import langchain.agents`` loads, in a fresh interpreter of the kit's environment."""
    run = subprocess.run([sys.executable, "-c", FRAMEWORK_IMPORT], capture_output=True, text=True, check=True)
    return frozenset(run.stdout.split())


def unexpected(loaded: list[str]) -> list[str]:
    """The modules of ``loaded`` (beyond the standard library) that the agent does not account for;
    sysconfig's generated ``_sysconfigdata_*`` module is the standard library's."""
    return [name for name in loaded if name not in framework() and not name.startswith("_sysconfigdata_")]
