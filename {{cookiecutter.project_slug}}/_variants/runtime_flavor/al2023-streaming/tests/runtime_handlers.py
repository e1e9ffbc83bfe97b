"""Handlers the runtime tests start ``bootstrap`` with (``_HANDLER=runtime_handlers.<name>``)."""

import sys

from {{ cookiecutter.package_name }}.kit.agent import model
from {{ cookiecutter.package_name }}.kit.agent.tools import tool
from {{ cookiecutter.package_name }}.kit.handler import handler as real_handler


@tool
def explode_after_one_step(message: str, *, ctx) -> dict:
    """A tool that reports once, then fails: the stream has started when it does."""
    ctx.send_status(f"working on {message}")
    raise RuntimeError("the tool broke mid-way")


# Standard-library modules that cost more to import than the whole runtime.
COSTLY = {"asyncio", "dataclasses", "inspect", "logging", "typing"}


def handler(event, context):
    """The real entry point, plus probes listing the third-party and the costly standard
    modules loaded so far."""
    loaded = {name.partition(".")[0] for name in sys.modules}
    if event == {"probe": "modules"}:
        ours = {"__main__", "{{ cookiecutter.package_name }}", __name__}
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


def _breaks_after_one_word(messages, tools, settings, options):
    yield "partial"
    raise RuntimeError("the provider hung up")


def broken_model(event, context):
    """The real entry point with a model that fails after its first word."""
    model.stream_turn = _breaks_after_one_word
    return real_handler(event, context)
