"""What an operator sees of a run: GenAI spans, the EMF metrics line, the local timeline.

Spans are caught by the SDK's in-memory exporter; the EMF line is checked against the
specification's rules (``emf_rules``). The echo model answers offline and calls a tool on
``/tool <name> <json>``.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from emf_rules import problems
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from {{ cookiecutter.package_name }}.kit import logs
from {{ cookiecutter.package_name }}.kit.agent import loop
from {{ cookiecutter.package_name }}.kit.agent.events import Message
from {{ cookiecutter.package_name }}.kit.settings import Settings
from {{ cookiecutter.package_name }}.kit.telemetry import (
    run_observer,
    timeline,
    trace_context,
    tracing,
)

from fake_provider import TOOL_TURN_TOKENS, serving

ECHO = Settings(traces_exporter="otlp", echo_delay_ms=0)
TOOL_TURN = '/tool echo {"message": "traced"}'


@pytest.fixture
def exported(environment):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    environment.setitem(tracing._state, "provider", provider)
    trace_context.begin_run(None)
    return exporter


@pytest.fixture
def metrics(environment):
    written = []
    environment.setattr(run_observer.emf, "write", written.append)
    return written


def run(text: str, settings: Settings = ECHO) -> list:
    return list(loop.run_agent([Message("user", text)], settings))


def test_a_tool_using_run_is_an_agent_span_over_its_model_and_tool_calls(exported):
    events = run(TOOL_TURN)
    assert events[-1].type == "result"
    spans = sorted(exported.get_finished_spans(), key=lambda span: span.start_time)
    agent, *inside = spans
    assert agent.name == "invoke_agent agent" and agent.kind is SpanKind.INTERNAL and agent.parent is None
    assert agent.attributes["gen_ai.operation.name"] == "invoke_agent"
    assert [span.name for span in inside] == ["chat echo", "execute_tool echo", "chat echo"]
    assert all(span.parent.span_id == agent.context.span_id for span in inside)
    assert {span.context.trace_id for span in spans} == {agent.context.trace_id}
    first_call, tool, answer = inside
    assert first_call.kind is SpanKind.CLIENT and first_call.attributes["gen_ai.operation.name"] == "chat"
    assert first_call.attributes["gen_ai.provider.name"] == "echo"
    assert first_call.attributes["gen_ai.request.model"] == "echo"
    assert first_call.attributes["gen_ai.response.finish_reasons"] == ("tool_calls",)
    assert answer.attributes["gen_ai.response.finish_reasons"] == ("stop",)
    assert tool.attributes["gen_ai.tool.name"] == "echo"
    assert tool.attributes["gen_ai.tool.call.id"] == events[1].payload["id"]
    assert first_call.end_time <= tool.start_time <= tool.end_time <= answer.start_time
    assert all(span.status.status_code is not StatusCode.ERROR for span in spans)
    recorded = {key for span in spans for key in span.attributes}
    assert not recorded & {"gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "gen_ai.output.messages"}


def test_model_call_spans_carry_what_the_provider_reports(exported, environment):
    with serving() as provider:
        extra_env, message = provider.tool_turn
        for name, value in {**provider.env, **extra_env, "OTEL_TRACES_EXPORTER": "otlp"}.items():
            environment.setenv(name, value)
        events = run(message, Settings.from_env())
    assert events[-1].type == "result", events[-1]
    calls = [span for span in exported.get_finished_spans() if span.name.startswith("chat ")]
    reasons = [span.attributes["gen_ai.response.finish_reasons"] for span in calls]
    assert reasons == [("tool_calls",), ("stop",)]
    assert {span.attributes["gen_ai.request.model"] for span in calls} == {Settings.from_env().agent_model}
    tokens = [
        (span.attributes.get("gen_ai.usage.input_tokens"), span.attributes.get("gen_ai.usage.output_tokens"))
        for span in calls
    ]
    assert tokens == TOOL_TURN_TOKENS  # the echo model reports none, and none is made up


def test_contents_are_recorded_only_when_the_operator_opts_in(exported):
    run(TOOL_TURN, ECHO._replace(trace_content=True))
    [tool] = [span for span in exported.get_finished_spans() if span.name.startswith("execute_tool")]
    assert json.loads(tool.attributes["gen_ai.tool.call.arguments"]) == {"message": "traced"}
    assert "traced" in tool.attributes["gen_ai.tool.call.result"]


def test_a_tool_whose_arguments_do_not_fit_fails_its_span_and_the_run_goes_on(exported):
    events = run('/tool echo {"words": 3}')
    assert events[-1].type == "result"
    spans = {span.name: span for span in exported.get_finished_spans()}
    tool = spans["execute_tool echo"]
    assert tool.status.status_code is StatusCode.ERROR and tool.attributes["error.type"] == "tool_error"
    assert spans["invoke_agent agent"].status.status_code is not StatusCode.ERROR


def test_a_run_that_reaches_max_steps_fails_its_agent_span(exported):
    events = run(TOOL_TURN, ECHO._replace(agent_max_steps=1))
    assert events[-1].payload["code"] == "max_steps"
    [agent] = [span for span in exported.get_finished_spans() if span.name.startswith("invoke_agent")]
    assert agent.status.status_code is StatusCode.ERROR and agent.attributes["error.type"] == "max_steps"


def test_a_run_continues_the_trace_it_was_handed(exported):
    trace_context.begin_run(trace_context.from_traceparent(f"00-{'ab' * 16}-{'cd' * 8}-01"))
    run("hello")
    [agent] = [span for span in exported.get_finished_spans() if span.name.startswith("invoke_agent")]
    assert f"{agent.context.trace_id:032x}" == "ab" * 16
    assert f"{agent.parent.span_id:016x}" == "cd" * 8


def test_log_lines_written_during_a_traced_run_carry_its_trace(exported, environment, capsys):
    environment.setitem(logs._config, "stream", "stdout")
    events = loop.run_agent([Message("user", "hello")], ECHO)
    next(events)
    logs.get_logger("test").warning("inside the run")
    list(events)
    logs.get_logger("test").warning("after the run")
    inside, after = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"level"' in line]
    [agent] = [span for span in exported.get_finished_spans() if span.name.startswith("invoke_agent")]
    assert inside["trace_id"] == f"{agent.context.trace_id:032x}"
    assert inside["span_id"] == f"{agent.context.span_id:016x}"
    assert "trace_id" not in after and "span_id" not in after


def test_each_run_writes_one_valid_emf_line(metrics):
    run(TOOL_TURN, ECHO._replace(traces_exporter="none", service_name="support-bot"))
    [document] = metrics
    assert problems(json.loads(json.dumps(document))) == []
    [directive] = document["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Agents" and directive["Dimensions"] == [["service", "model"]]
    assert (document["service"], document["model"]) == ("support-bot", "echo")
    assert (document["ModelCalls"], document["ToolCalls"], document["ToolErrors"]) == (2, 1, 0)
    assert len(document["ModelLatency"]) == 2 and document["TimeToFirstToken"] >= 0
    assert document["RunErrors"] == 0 and document["outcome"] == "result"


def test_a_failed_run_counts_as_a_run_error(metrics):
    run(TOOL_TURN, ECHO._replace(traces_exporter="none", agent_max_steps=1))
    [document] = metrics
    assert (document["RunErrors"], document["outcome"]) == (1, "max_steps")


def test_metrics_can_be_turned_off(metrics):
    run("hello", ECHO._replace(traces_exporter="none", metrics=False))
    assert metrics == []


def test_the_timeline_draws_the_run_under_its_agent_span(exported):
    run(TOOL_TURN)
    rows = timeline.draw(exported.get_finished_spans()).splitlines()
    assert [row.split("|")[0].rstrip() for row in rows] == [
        "invoke_agent agent",
        "  chat echo",
        "  execute_tool echo",
        "  chat echo",
    ]
    assert all(row.count("|") == 2 and "█" in row for row in rows)


def test_with_tracing_and_remote_servers_off_a_run_loads_neither_client():
    """A run adds no OpenTelemetry and no MCP module to what the framework imports itself (a
    builtin kit has none to import), and the kit's MCP client never loads."""
    probe = (
        "import sys\n"
        "from {{ cookiecutter.package_name }}.kit import author, service\n"
        "from {{ cookiecutter.package_name }}.kit.agent import loop\n"
        "from {{ cookiecutter.package_name }}.kit.agent.events import Message\n"
        "from {{ cookiecutter.package_name }}.kit.settings import Settings\n"
        "def loaded():\n"
        "    return sorted(m for m in sys.modules if m.partition('.')[0] in ('opentelemetry', 'mcp'))\n"
        "before = loaded()\n"
        f"list(loop.run_agent([Message('user', {TOOL_TURN!r})], Settings(echo_delay_ms=0)))\n"
        "client = '{{ cookiecutter.package_name }}.kit.agent.remote_tools' in sys.modules\n"
        "print(before, loaded(), client, sep='\\n')\n"
    )
    src = Path(__file__).parents[2] / "src"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(src), "LLM_PROVIDER": "echo"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    before, after, client = done.stdout.strip().splitlines()[-3:]
    assert after == before
    assert client == "False"
