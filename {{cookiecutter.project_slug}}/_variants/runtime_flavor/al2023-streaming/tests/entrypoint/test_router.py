"""What only this flavor's in-process entry point does; every route is in tests/entrypoint/test_routes.py.

A cut stream raises after its body, so the runtime sends the error trailers.
"""

import pytest
from deadline_helpers import (
    REMAINING_S,
    SLOW_CHAT_MESSAGES,
    SLOW_ECHO_DELAY_MS,
    SLOW_TOOL,
    assert_ndjson_cut_off,
    assert_sse_cut_off,
)

from {{ cookiecutter.package_name }}.kit.deadline import DeadlineExceeded
from {{ cookiecutter.package_name }}.kit.handler import handler
from {{ cookiecutter.package_name }}.kit.runtime.http import HttpHead

from conftest import http_event
from lambda_context import LambdaContext


def collect(stream):
    head, parts = None, []
    for item in stream:
        if isinstance(item, HttpHead):
            head = item
        else:
            parts.append(item)
    return head, b"".join(parts)


def cut_reply(event, context):
    """``(status, body bytes)`` of a stream that must end with DeadlineExceeded (for the trailers)."""
    head, parts = None, []
    with pytest.raises(DeadlineExceeded):
        for item in handler(event, context):
            if isinstance(item, HttpHead):
                head = item
            else:
                parts.append(item)
    return head.status_code, b"".join(parts)


def test_a_tool_cut_off_at_the_deadline_raises_after_its_body_for_the_trailers():
    status, body = cut_reply(http_event("/invoke", SLOW_TOOL), LambdaContext(timeout_s=REMAINING_S))
    assert status == 200
    assert_ndjson_cut_off(body)


def test_a_chat_stream_cut_off_at_the_deadline_raises_after_its_body_for_the_trailers(environment):
    environment.setenv("ECHO_DELAY_MS", SLOW_ECHO_DELAY_MS)
    chat = {"stream": True, "messages": SLOW_CHAT_MESSAGES}
    _, body = cut_reply(http_event("/v1/chat/completions", chat), LambdaContext(timeout_s=REMAINING_S))
    assert_sse_cut_off(body)
