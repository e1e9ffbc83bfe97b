"""Handlers the runtime tests start ``bootstrap`` with (``_HANDLER=runtime_handlers.<name>``)."""

import sys

from {{ cookiecutter.package_name }}.kit.agent import loop
from {{ cookiecutter.package_name }}.kit.agent.events import delta
from {{ cookiecutter.package_name }}.kit.handler import handler as real_handler

import kit_tools  # noqa: F401 - the kit's test tools, fails_midway among them

# Standard-library modules that cost more to import than the whole runtime.
COSTLY = {"asyncio", "dataclasses", "inspect", "logging", "typing"}


def handler(event, context):
    """The real entry point, plus probes listing the third-party and the costly standard
    modules loaded so far."""
    loaded = {name.partition(".")[0] for name in sys.modules}
    if event == {"probe": "modules"}:
        ours = {"__main__", "{{ cookiecutter.package_name }}", "kit_tools", __name__}
        return sorted(loaded - set(sys.stdlib_module_names) - ours)
    if event == {"probe": "costly"}:
        return sorted(loaded & COSTLY)
    return real_handler(event, context)


def fails_before_first_byte(event, context):
    raise ValueError("bad input: nothing was sent")
    yield b"never"


def fails_mid_stream(event, context):
    yield b"one\n"
    raise RuntimeError("broke after the first chunk")


async def async_chunks(event, context):
    for index in range(3):
        yield f"chunk {index}\n"


def _breaks_after_one_word(messages, settings, options=None):
    yield delta("partial")
    raise RuntimeError("the provider hung up")


def broken_model(event, context):
    """The real entry point with an agent whose model fails after its first word."""
    loop.run_agent = _breaks_after_one_word
    return real_handler(event, context)
