"""Init ends with the garbage collector running again, and what init made frozen out of its sight
(kit/cold_start.py); a collector left off would let a warm function's garbage pile up."""

import gc
import importlib
import json

from image_layout import dockerfile_instructions


def entry_module() -> str:
    """The module the image starts: ``python -m`` in its ENTRYPOINT, or its CMD's handler."""
    instructions = dict(dockerfile_instructions())
    entrypoint = json.loads(instructions.get("ENTRYPOINT", "[]"))
    if "-m" in entrypoint:
        return entrypoint[entrypoint.index("-m") + 1]
    return json.loads(instructions["CMD"])[0].rpartition(".")[0]


def test_init_ends_with_the_collector_running_and_its_objects_frozen():
    importlib.import_module(entry_module())
    assert gc.isenabled(), "the entry point held the collector and never let it run again"
    assert gc.get_freeze_count() > 1000, "init's objects are frozen out of the collector's sight"
