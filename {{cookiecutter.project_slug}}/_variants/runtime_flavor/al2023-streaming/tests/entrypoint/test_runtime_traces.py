"""The real runtime sends a run's spans before it finishes the run's stream: once the Runtime API
has the whole response, the OTLP receiver already has the spans (Lambda may freeze right then)."""

from otlp_receiver import OtlpReceiver
from test_runtime import invoke, runtime

from conftest import http_event

TOOL_TURN = {"messages": [{"role": "user", "content": '/tool echo {"message": "traced"}'}]}


def test_a_streamed_run_s_spans_arrive_before_its_stream_ends():
    handler = "{{ cookiecutter.package_name }}.kit.handler.handler"
    with OtlpReceiver() as receiver:
        env = {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": receiver.endpoint}
        with runtime(handler, **env) as (api, _):
            answer = invoke(api, http_event("/invoke", TOOL_TURN))
            spans = receiver.spans()
    assert b'"type":"result"' in answer.body.replace(b": ", b":"), answer.body[-300:]
    assert sorted(span["name"] for span in spans) == [
        "chat echo",
        "chat echo",
        "execute_tool echo",
        "invoke_agent agent",
    ]
