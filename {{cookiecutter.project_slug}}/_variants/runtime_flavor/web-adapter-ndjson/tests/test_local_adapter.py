"""`make invoke` for this flavor: sample events through a local stand-in for the adapter."""

import json
from pathlib import Path

import pytest
from deadline_helpers import REMAINING_S, SLOW_TOOL, assert_ndjson_cut_off
from invoke import main
from local_adapter import InvocationFailed, invoke

from conftest import http_event, load_event, sqs_event
from lambda_context import LambdaContext

ROOT = Path(__file__).resolve().parents[1]


def test_function_url_sample_answers_a_completion():
    reply = invoke(load_event("function_url.json"))
    assert reply["statusCode"] == 200
    assert json.loads(reply["body"])["choices"][0]["message"]["content"] == "Hello from a Function URL"


def test_rest_api_sample_answers_ndjson():
    reply = invoke(load_event("apigw_v1.json"))
    assert reply["headers"]["content-type"] == "application/x-ndjson"
    assert json.loads(reply["body"].splitlines()[-1])["type"] == "result"


def test_source_ip_reaches_the_app_through_the_request_context_header(environment):
    environment.setenv("ALLOWED_CIDRS", "10.0.0.0/8")
    chat = {"messages": [{"role": "user", "content": "hi"}]}
    assert invoke(http_event("/v1/chat/completions", chat, source_ip="10.1.2.3"))["statusCode"] == 200
    assert invoke(http_event("/v1/chat/completions", chat, source_ip="203.0.113.9"))["statusCode"] == 403


def test_queue_and_schedule_go_to_the_pass_through_path():
    assert invoke(load_event("sqs_batch.json")) == {"batchItemFailures": []}
    assert invoke(load_event("schedule.json"))["job"] == "self-check"


def test_a_batch_that_fails_whole_fails_the_invocation():
    with pytest.raises(InvocationFailed, match="HTTP 500"):
        invoke(sqs_event("{", "}"))


def test_invoke_script_uses_the_stand_in(capsys):
    assert main([str(ROOT / "events" / "schedule.json"), "--handler", "local_adapter.invoke"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "ok"


def test_the_invocation_deadline_reaches_the_app_as_the_adapter_sends_it():
    reply = invoke(http_event("/invoke", SLOW_TOOL), LambdaContext(timeout_s=REMAINING_S))
    assert_ndjson_cut_off(reply["body"].encode())
