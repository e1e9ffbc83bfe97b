"""How tests/entrypoint/test_fuzz.py reaches this function: every way a request gets in.

In process through ``handler.handler`` with a Function URL event (streamed) and an API
Gateway event (buffered), and through the real runtime, ``bootstrap`` against the local
Runtime API stand-in, as Lambda runs it. Bodies arrive base64-encoded, as Lambda sends
bytes that are not text.
"""

import atexit
import base64
import contextlib
import os

from test_runtime import runtime

from {{ cookiecutter.package_name }}.kit.handler import handler
from {{ cookiecutter.package_name }}.kit.runtime.http import HttpHead

from conftest import http_event, load_event
from lambda_context import LambdaContext

# The settings the fuzz test varies; a runtime process is started per combination.
SETTINGS = ("API_KEY_SOURCE", "API_KEY", "MAX_REQUEST_BYTES", "ECHO_DELAY_MS")


def function_url_event(method: str, path: str, headers: dict, body: bytes) -> dict:
    event = http_event(path, method=method, headers=headers)
    event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    return event


def through_function_url(method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    head, parts = None, []
    for item in handler(function_url_event(method, path, headers, body), LambdaContext()):
        if isinstance(item, HttpHead):
            head = item
        else:
            parts.append(item)
    return head.status_code, b"".join(parts)


def through_api_gateway(method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    event = load_event("apigw_v1.json")
    event.update(httpMethod=method, path=path, headers={**event["headers"], **headers})
    event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    reply = handler(event, LambdaContext())
    return reply["statusCode"], reply["body"].encode()


_runtimes: dict[tuple, object] = {}
_stack = contextlib.ExitStack()
atexit.register(_stack.close)


def through_the_runtime(method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    env = {name: os.environ[name] for name in SETTINGS if name in os.environ}
    key = tuple(sorted(env.items()))
    if key not in _runtimes:
        handler = "{{ cookiecutter.package_name }}.kit.handler.handler"
        _runtimes[key], _ = _stack.enter_context(runtime(handler, **env))
    reply = _runtimes[key].invoke(function_url_event(method, path, headers, body), 60_000).wait(10)
    # An /error reply would reach the caller as a 502 from the Function URL.
    assert reply.kind == "streamed" and not reply.trailers, f"{reply.kind}: {reply.error}"
    prelude, payload = reply.http()
    return prelude["statusCode"], payload


TARGETS = {
    "function-url": through_function_url,
    "api-gateway": through_api_gateway,
    "runtime": through_the_runtime,
}
