"""Run the real Lambda entry point on a sample event, as Lambda would, and print the reply.

python scripts/invoke.py events/function_url.json [--handler module.function]

A streamed reply (a generator) is printed chunk by chunk as it is produced.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import json
import sys
from pathlib import Path

from lambda_context import LambdaContext

DEFAULT_HANDLER = "{{ cookiecutter.package_name }}.kit.handler.handler"


def load_handler(name: str):
    module_name, _, function_name = name.rpartition(".")
    return getattr(importlib.import_module(module_name), function_name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("event", type=Path, help="a JSON event file, e.g. events/sqs_batch.json")
    parser.add_argument("--handler", default=DEFAULT_HANDLER, help="module.function to call")
    args = parser.parse_args(argv)
    try:
        event = json.loads(args.event.read_text())
    except (OSError, ValueError) as problem:
        print(f"error: cannot read {args.event}: {problem}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    reply = load_handler(args.handler)(event, LambdaContext())
    if inspect.iscoroutine(reply):
        reply = asyncio.run(reply)
    if inspect.isasyncgen(reply):
        asyncio.run(print_async_stream(reply))
    elif inspect.isgenerator(reply):
        for chunk in reply:
            print_chunk(chunk)
    else:
        print(json.dumps(reply, indent=2))
    return 0


def print_chunk(chunk) -> None:
    """A chunk as it comes; a head object (status and headers) goes to stderr."""
    if isinstance(chunk, bytes | str):
        sys.stdout.write(chunk.decode() if isinstance(chunk, bytes) else chunk)
        sys.stdout.flush()
    else:
        print(chunk, file=sys.stderr)


async def print_async_stream(chunks) -> None:
    async for chunk in chunks:
        print_chunk(chunk)


if __name__ == "__main__":
    sys.exit(main())
