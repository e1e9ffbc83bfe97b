"""The cut-off every route uses: streams end with an error event, whole replies with a 504,
both ``MARGIN_MS`` before the deadline; no deadline, no cut."""

import json
import time

import pytest

from {{ cookiecutter.package_name }}.kit.deadline import DeadlineExceeded, cut_off, within_deadline
from {{ cookiecutter.package_name }}.kit.errors import GatewayTimeout
from {{ cookiecutter.package_name }}.kit.protocols import ndjson, openai


def remaining_for(seconds):
    deadline = time.monotonic() + seconds
    return lambda: max(0, int((deadline - time.monotonic()) * 1000))


def slow_chunks(count, pause_s):
    for index in range(count):
        time.sleep(pause_s)
        yield f"chunk {index}\n".encode()


def test_a_stream_that_cannot_finish_ends_with_the_error_event_before_the_deadline():
    started = time.monotonic()
    chunks = []
    with pytest.raises(DeadlineExceeded):
        for chunk in cut_off(slow_chunks(20, 0.1), ndjson.MEDIA_TYPE, remaining_for(1.0)):
            chunks.append(chunk)
    assert 0.5 - 0.05 <= time.monotonic() - started < 0.75
    assert chunks[0] == b"chunk 0\n"
    last = json.loads(chunks[-1])
    assert (last["type"], last["code"]) == ("error", "deadline_exceeded")


def test_sse_streams_end_with_the_openai_error_object():
    chunks = []
    with pytest.raises(DeadlineExceeded):
        for chunk in cut_off(slow_chunks(20, 0.1), openai.MEDIA_TYPE_SSE, remaining_for(0.8)):
            chunks.append(chunk)
    assert chunks[-1].startswith(b"data: {")
    assert json.loads(chunks[-1][6:])["error"]["code"] == "deadline_exceeded"


def test_a_stream_that_finishes_in_time_is_untouched():
    chunks = list(cut_off(slow_chunks(3, 0.01), ndjson.MEDIA_TYPE, remaining_for(2.0)))
    assert chunks == [b"chunk 0\n", b"chunk 1\n", b"chunk 2\n"]


def test_no_deadline_means_no_cut():
    source = slow_chunks(3, 0)
    assert cut_off(source, ndjson.MEDIA_TYPE, None) is source
    assert within_deadline(lambda: "answer", None) == "answer"


def test_a_whole_reply_that_cannot_finish_is_a_504_before_the_deadline():
    started = time.monotonic()
    with pytest.raises(GatewayTimeout) as caught:
        within_deadline(lambda: time.sleep(3), remaining_for(1.0))
    assert 0.5 - 0.05 <= time.monotonic() - started < 0.75
    assert caught.value.body()["error"]["code"] == 504
    assert within_deadline(lambda: "answer", remaining_for(2.0)) == "answer"


def test_a_whole_reply_failing_in_time_raises_its_own_error():
    def fail():
        raise ValueError("bad")

    with pytest.raises(ValueError, match="bad"):
        within_deadline(fail, remaining_for(2.0))
