"""The runtime loop: load the handler, then ``next`` -> handle -> reply, until the process ends.

What a handler returns decides the reply:

- a sync or async generator (or any iterator of bytes/str): streamed, each item sent the
  moment it is yielded. If the first item is an ``HttpHead``, the reply carries the Function
  URL prelude, so the caller sees that status and those headers.
- a coroutine: awaited, then treated as below. ``asyncio`` is loaded only for async
  handlers (during init when the handler itself is ``async def``), so a sync handler's
  cold start never pays for it.
- anything else: sent buffered as JSON (queue batches, schedules, direct invokes).

A failure before the first byte is reported with ``/error``; after it, with the error
trailers. A handler that cannot be loaded is reported with ``/init/error`` and the process
exits non-zero, as Lambda expects.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import types
from collections.abc import Callable

from ..logs import get_logger
from .api import Invocation, RuntimeApi, RuntimeApiError, error_document
from .context import LambdaContext
from .http import CONTENT_TYPE as HTTP_INTEGRATION
from .http import HttpHead

log = get_logger(__name__)

HANDLER_ERROR = "Runtime.HandlerError"
END = object()
# inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR, without importing inspect.
ASYNC_CODE_FLAGS = 0x80 | 0x200


class InitError(Exception):
    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


def load_handler(name: str) -> Callable[..., object]:
    """The function ``_HANDLER`` names, as ``package.module.function``."""
    module_name, _, function_name = name.rpartition(".")
    if not module_name or not function_name:
        raise InitError("Runtime.MalformedHandlerName", f"_HANDLER must be module.function; got {name!r}")
    try:
        module = importlib.import_module(module_name)
    except Exception as problem:
        raise InitError("Runtime.ImportModuleError", f"cannot import {module_name!r}: {problem}") from problem
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise InitError("Runtime.HandlerNotFound", f"{module_name!r} has no function {function_name!r}")
    return handler


def is_async(function: Callable[..., object]) -> bool:
    code = getattr(function, "__code__", None)
    return code is not None and bool(code.co_flags & ASYNC_CODE_FLAGS)


def new_event_loop():
    import asyncio  # only for async handlers

    return asyncio.new_event_loop()


def is_stream(reply: object) -> bool:
    return hasattr(reply, "__next__") or hasattr(reply, "__anext__")


def as_bytes(chunk: object) -> bytes:
    if isinstance(chunk, bytes | bytearray | memoryview):
        return bytes(chunk)
    if isinstance(chunk, str):
        return chunk.encode()
    raise TypeError(f"a streamed chunk must be bytes or str, not {type(chunk).__name__}")


class Runtime:
    def __init__(self, api: RuntimeApi, handler: Callable[..., object]) -> None:
        self.api = api
        self.handler = handler
        # An async handler's event loop is made during init, not on the first request.
        self._loop = new_event_loop() if is_async(handler) else None

    @property
    def loop(self):
        """One event loop for the process, so async handlers keep clients across invocations."""
        if self._loop is None:
            self._loop = new_event_loop()
        return self._loop

    def serve_forever(self) -> None:
        while True:
            self.handle(self.api.next())

    def handle(self, invocation: Invocation) -> None:
        request_id = invocation.request_id
        context = LambdaContext.from_invocation(invocation)
        if context.trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = context.trace_id
        try:
            event = json.loads(invocation.event or b"null")
        except ValueError as problem:
            self.api.fail(request_id, "Runtime.UnmarshalError", error_document(problem))
            return
        body = b""
        try:
            reply = self.handler(event, context)
            if isinstance(reply, types.CoroutineType):
                reply = self.loop.run_until_complete(reply)
            if not is_stream(reply):
                body = json.dumps(reply).encode()
        except RuntimeApiError:
            raise
        except Exception as problem:
            log.exception("invocation failed", request_id=request_id)
            self.api.fail(request_id, HANDLER_ERROR, error_document(problem))
            return
        if is_stream(reply):
            self.stream(request_id, reply)
        else:
            self.api.respond(request_id, body)

    def _stepper(self, reply: object) -> tuple[Callable[[], object], Callable[[], None]]:
        """``(next_item, close)`` for a sync or async iterator; next_item returns END at the end."""
        if hasattr(reply, "__anext__"):

            def next_async() -> object:
                try:
                    return self.loop.run_until_complete(anext(reply))
                except StopAsyncIteration:
                    return END

            def close_async() -> None:
                if hasattr(reply, "aclose"):
                    self.loop.run_until_complete(reply.aclose())

            return next_async, close_async
        return (lambda: next(reply, END)), getattr(reply, "close", lambda: None)

    def stream(self, request_id: str, reply: object) -> None:
        step, close = self._stepper(reply)
        try:
            self._stream(request_id, step)
        finally:
            try:
                close()
            except Exception:
                log.exception("closing the handler's stream failed")

    def _stream(self, request_id: str, step: Callable[[], object]) -> None:
        # Read ahead to the first body byte: a failure before it gets a plain /error.
        head = None
        try:
            item = step()
            if isinstance(item, HttpHead):
                head, item = item, step()
            first = b"" if item is END else as_bytes(item)
        except Exception as problem:
            log.exception("invocation failed before its first byte", request_id=request_id)
            self.api.fail(request_id, HANDLER_ERROR, error_document(problem))
            return
        stream = self.api.open_stream(request_id, HTTP_INTEGRATION if head else "application/octet-stream")
        if head:
            stream.write(head.prelude() + first)
        else:
            stream.write(first)
        while item is not END:
            try:
                item = step()
                chunk = b"" if item is END else as_bytes(item)
            except Exception as problem:
                log.exception("stream failed mid-way", request_id=request_id)
                stream.abort(HANDLER_ERROR, error_document(problem))
                return
            stream.write(chunk)
        stream.finish()


def main() -> int:
    address = os.environ.get("AWS_LAMBDA_RUNTIME_API", "")
    if not address:
        print(
            "error: AWS_LAMBDA_RUNTIME_API is not set; run this under Lambda or the stand-in", file=sys.stderr
        )
        return 1
    try:
        api = RuntimeApi(address)
    except RuntimeApiError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except InitError as problem:
        print(f"error: {problem}", file=sys.stderr)
        document = error_document(problem.__cause__ or problem)
        document["errorMessage"] = str(problem)
        try:
            api.init_failed(problem.error_type, document)
        except RuntimeApiError as unreachable:
            print(f"error: {unreachable}", file=sys.stderr)
        return 1
    try:
        Runtime(api, handler).serve_forever()
    except RuntimeApiError as problem:
        print(f"error: the Runtime API went away: {problem}", file=sys.stderr)
        return 1
    return 0
