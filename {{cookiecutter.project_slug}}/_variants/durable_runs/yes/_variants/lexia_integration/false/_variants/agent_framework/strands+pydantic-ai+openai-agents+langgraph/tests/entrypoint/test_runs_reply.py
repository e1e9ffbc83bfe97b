"""A framework run's tool progress and its result go to the run's ``stream_url``: each once, as the
tool reports it, replays included."""

import json

import pytest
from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner
from http_stub import HttpStub

from {{ cookiecutter.package_name }}.kit.runs.handler import handler


class Receiver(HttpStub):
    """A stand-in for whatever listens at a run's ``stream_url``: it records every POST."""

    def __init__(self) -> None:
        super().__init__(lambda request, reply: reply.send(204, b"", "text/plain"))

    @property
    def url(self) -> str:
        return f"{super().url}/progress"


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


def run(body: dict) -> list[str]:
    with DurableFunctionTestRunner(handler=handler) as runner:
        outcome = runner.run(input=json.dumps(body), execution_timeout=30)
    assert outcome.status.name == "SUCCEEDED", outcome.error
    return [op.name for op in outcome.operations]


def test_progress_with_the_calls_id_then_the_result_reach_the_stream_url(receiver):
    ask = [{"role": "user", "content": '/tool slow_process {"message": "a", "steps": 2, "delay_ms": 0}'}]
    operations = run({"messages": ask, "stream_url": receiver.url, "stream_token": "listener-token"})

    assert operations == ["model 1", "tool slow_process#call_echo_1", "model 2", "reply"]
    posts = [post["body"] for post in receiver.requests]
    assert [(post["type"], post.get("id"), post.get("message")) for post in posts[:-1]] == [
        ("status", "call_echo_1", "Starting: a"),
        ("status", "call_echo_1", "Step 1/2 complete"),
        ("status", "call_echo_1", "Step 2/2 complete"),
    ]
    assert posts[-1]["type"] == "result"
    assert posts[-1]["text"].startswith("slow_process returned ")
    assert {post["headers"]["authorization"] for post in receiver.requests} == {"Bearer listener-token"}


def test_an_unknown_tool_is_the_models_to_answer_and_the_run_still_reports(receiver):
    operations = run({"messages": [{"role": "user", "content": "/tool nope {}"}], "stream_url": receiver.url})

    assert operations == ["model 1", "model 2", "reply"]
    [post] = [request["body"] for request in receiver.requests]
    assert post["type"] == "result"
    assert post["text"].startswith("nope failed with ")
