"""With only the standard OpenTelemetry variables set, an invocation's spans reach an OTLP/HTTP
receiver before the invocation ends: a frozen Lambda would never send them later."""

import json

import boto3
import pytest
from entry_point import invoke
from otlp_receiver import OtlpReceiver

from {{ cookiecutter.package_name }}.kit import messages, service
from {{ cookiecutter.package_name }}.kit.settings import get_settings
from {{ cookiecutter.package_name }}.kit.telemetry import tracing

from conftest import http_event, load_event, sqs_event
from lambda_context import LambdaContext

TOOL_TURN = {"messages": [{"role": "user", "content": '/tool echo {"message": "traced"}'}]}
CALLER = f"00-{'4b' * 16}-00f067aa0ba902b7-01"


@pytest.fixture
def receiver(environment):
    with OtlpReceiver() as receiver:
        environment.setenv("OTEL_TRACES_EXPORTER", "otlp")
        environment.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint)
        environment.setenv("OTEL_SERVICE_NAME", "traced-agent")
        environment.setitem(tracing._state, "provider", None)
        get_settings.cache_clear()
        yield receiver
        if tracing._state["provider"] is not None:
            tracing._state["provider"].shutdown()


def names(spans: list[dict]) -> list[str]:
    return sorted(span["name"] for span in spans)


def test_a_streamed_run_delivers_its_spans_before_the_invocation_ends(receiver):
    reply = invoke(http_event("/invoke", TOOL_TURN), LambdaContext(aws_request_id="req-traced"))
    assert reply["statusCode"] == 200 and json.loads(reply["body"].splitlines()[-1])["type"] == "result"
    spans = receiver.spans()  # no waiting: they were sent before the last line left
    assert names(spans) == ["chat echo", "chat echo", "execute_tool echo", "invoke_agent agent"]
    [agent] = [span for span in spans if span["name"] == "invoke_agent agent"]
    assert {span["trace_id"] for span in spans} == {agent["trace_id"]}
    assert all(span["parent_id"] == agent["span_id"] for span in spans if span is not agent)
    assert agent["resource"]["service.name"] == "traced-agent"

    invoke(http_event("/invoke", TOOL_TURN, headers={"traceparent": CALLER}), LambdaContext())
    latest = receiver.spans()[len(spans) :]
    [agent] = [span for span in latest if span["name"] == "invoke_agent agent"]
    assert (agent["trace_id"], agent["parent_id"]) == ("4b" * 16, "00f067aa0ba902b7")


def test_a_queued_message_carries_its_trace_to_the_worker(receiver, aws, environment):
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="agent-queue")["QueueUrl"]
    environment.setenv("SQS_QUEUE_URL", queue_url)
    request = messages.parse({**load_event("send_message.json"), "message": "queued and traced"})
    service.send_message(request, get_settings())
    [sent] = receiver.spans()
    assert sent["name"] == "send agent-queue" and sent["attributes"]["messaging.system"] == "aws_sqs"

    [message] = sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=["All"])["Messages"]
    event = sqs_event(message["Body"])
    event["Records"][0]["messageAttributes"] = {
        name: {"stringValue": value["StringValue"], "dataType": value["DataType"]}
        for name, value in message["MessageAttributes"].items()
    }
    assert invoke(event, LambdaContext()) == {"batchItemFailures": []}
    [agent] = [span for span in receiver.spans() if span["name"].startswith("invoke_agent")]
    assert (agent["trace_id"], agent["parent_id"]) == (sent["trace_id"], sent["span_id"])
