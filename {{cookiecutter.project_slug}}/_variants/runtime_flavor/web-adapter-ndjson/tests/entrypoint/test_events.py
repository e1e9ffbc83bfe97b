"""The worker function's pass-through route: the adapter POSTs SQS batches and scheduled
events, raw, to AWS_LWA_PASS_THROUGH_PATH and returns the JSON answer to Lambda."""

import json

import httpx
import pytest
from live_server import serve

from {{ cookiecutter.package_name }}.kit.server import create_server, events_path, port
from {{ cookiecutter.package_name }}.kit.settings import ConfigError

from conftest import load_event, sqs_event

GOOD = json.dumps(load_event("send_message.json"))


@pytest.fixture(scope="module")
def events_url():
    with serve(create_server({"AWS_LWA_PASS_THROUGH_PATH": "/events"})) as url:
        yield f"{url}/events"


def test_a_poison_record_is_the_only_failure_reported(events_url):
    response = httpx.post(events_url, json=sqs_event(GOOD, "{not json", GOOD), timeout=30)
    assert response.status_code == 200
    # Bare, as the event source mapping reads it (ReportBatchItemFailures).
    assert response.json() == {"batchItemFailures": [{"itemIdentifier": "msg-1"}]}


def test_the_sample_batch_succeeds(events_url):
    response = httpx.post(events_url, json=load_event("sqs_batch.json"), timeout=30)
    assert response.json() == {"batchItemFailures": []}


def test_a_batch_where_every_record_fails_is_a_500(events_url):
    # With AWS_LWA_ERROR_STATUS_CODES covering 500 the adapter fails the invocation,
    # so SQS retries the whole batch and, after five receives, moves it to the DLQ.
    response = httpx.post(events_url, json=sqs_event("{", '{"message": ""}'), timeout=30)
    assert response.status_code == 500
    assert response.json()["error"]["type"] == "server_error"


def test_a_scheduled_event_runs_the_job(events_url):
    response = httpx.post(events_url, json=load_event("schedule.json"), timeout=30)
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "ok" and answer["job"] == "kit-test"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"Records": [{"eventSource": "aws:s3"}]}, "no handler for an event with keys ['Records']"),
        ({"detail-type": "Object Created", "source": "aws.s3"}, "no handler for an event"),
        ("[1, 2]", "must be a JSON object"),
        ("{oops", "not valid JSON"),
    ],
)
def test_anything_else_is_a_clear_400(events_url, body, problem):
    content = body if isinstance(body, str) else json.dumps(body)
    response = httpx.post(events_url, content=content, timeout=30)
    assert response.status_code == 400
    assert problem in response.json()["error"]["message"]


def test_http_routes_still_answer_on_the_worker(events_url):
    assert httpx.get(events_url.replace("/events", "/health")).json() == {"status": "ok"}


@pytest.mark.parametrize("value", ["events", "/ev ents"])
def test_a_bad_pass_through_path_is_a_one_line_error(value):
    with pytest.raises(ConfigError, match="AWS_LWA_PASS_THROUGH_PATH must be a path"):
        events_path({"AWS_LWA_PASS_THROUGH_PATH": value})


def test_port_follows_the_adapter_order():
    assert port({}) == 8080
    assert port({"PORT": "9000"}) == 9000
    assert port({"AWS_LWA_PORT": "8081", "PORT": "9000"}) == 8081
    with pytest.raises(ConfigError, match="AWS_LWA_PORT must be a port number"):
        port({"AWS_LWA_PORT": "http"})


def test_on_lambda_the_server_believes_only_the_adapter(monkeypatch):
    """Loopback only, and no forwarded headers: the adapter's request context names the caller."""
    import uvicorn

    from {{ cookiecutter.package_name }}.kit import server
    from {{ cookiecutter.package_name }}.kit.logs import get_logger

    options = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **given: options.update(given, app=app))
    # main() configures the package's logs for the process; the tests after this one keep theirs.
    monkeypatch.setattr(server, "configure", lambda *_: get_logger(__name__))
    server.main()
    assert (options["host"], options["proxy_headers"]) == ("127.0.0.1", False)
    assert create_server({"AWS_LAMBDA_FUNCTION_NAME": "agent"}).state.behind_adapter is True
    assert create_server({}).state.behind_adapter is False
