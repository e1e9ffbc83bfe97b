"""The runs' Lambda calls on the wire: what boto3 would send for the same operations, signed
as botocore would sign them. (moto has no durable-execution API, so a local server records
the requests and answers as Lambda documents.)"""

from __future__ import annotations

import datetime
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import boto3
import botocore.auth
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from {{ cookiecutter.package_name }}.kit.runs import api
from {{ cookiecutter.package_name }}.kit.runs.config import RunSettings
from {{ cookiecutter.package_name }}.kit.runs.lambda_api import LambdaRuns

FUNCTION = "arn:aws:lambda:{{ cookiecutter.aws_region }}:123456789012:function:runs:live"
EXECUTION = f"{FUNCTION}/durable-execution/run-abc/0f1e2d3c"
CALLBACK = "eyJhcm4iOiJ4In0="
HISTORY = [
    {"EventType": "ExecutionStarted", "EventId": 1, "Id": "e"},
    {"EventType": "ContextStarted", "EventId": 2, "Id": "c1", "Name": "approval publish#call_1"},
]
HISTORY_PAGE_2 = [
    {
        "EventType": "CallbackStarted",
        "EventId": 3,
        "Id": "cb1",
        "ParentId": "c1",
        "Name": "approval publish#call_1 create callback id",
        "CallbackStartedDetails": {"CallbackId": CALLBACK},
    }
]


class Recorder(BaseHTTPRequestHandler):
    requests: list[dict]

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        self.requests.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
        )
        path = urlsplit(self.path).path
        status, headers, reply = 200, {}, {}
        if path.endswith("/invocations"):
            if self.headers.get("x-amz-durable-execution-name") == "taken":
                status, headers = 409, {"x-amzn-ErrorType": "DurableExecutionAlreadyStartedException"}
                reply = {"Type": "User", "message": "already started"}
            else:
                status, headers = 202, {"X-Amz-Durable-Execution-Arn": EXECUTION}
        elif path.endswith("/history"):
            first = "Marker=" not in self.path
            reply = {"Events": HISTORY, "NextMarker": "page 2/2"} if first else {"Events": HISTORY_PAGE_2}
        elif "/durable-executions/" in path:
            reply = {"DurableExecutionArn": EXECUTION, "Status": "RUNNING", "StartTimestamp": 1.7e9}
        data = json.dumps(reply).encode() if reply else b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def lambda_endpoint(environment):
    Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    environment.setenv("AWS_ENDPOINT_URL_LAMBDA", url)
    yield Recorder.requests
    server.shutdown()
    server.server_close()


def wire(request: dict) -> tuple:
    headers = {k.lower(): v for k, v in request["headers"].items()}
    kept = {k: headers[k] for k in ("x-amz-invocation-type", "x-amz-durable-execution-name") if k in headers}
    path, _, query = request["path"].partition("?")
    return request["method"], path, sorted(query.split("&")), kept, request["body"]


def test_each_call_is_what_boto3_sends(lambda_endpoint):
    runs = LambdaRuns(FUNCTION)
    assert runs.start("run-abc", '{"messages":[]}') == EXECUTION
    execution, events = runs.describe(EXECUTION)
    runs.answer(CALLBACK, True, "")
    runs.answer(CALLBACK, False, "not on a Friday")
    ours = [wire(request) for request in lambda_endpoint]
    lambda_endpoint.clear()

    client = boto3.client("lambda")
    client.invoke(
        FunctionName=FUNCTION,
        InvocationType="Event",
        DurableExecutionName="run-abc",
        Payload=b'{"messages":[]}',
    )
    client.get_durable_execution(DurableExecutionArn=EXECUTION)
    client.get_durable_execution_history(DurableExecutionArn=EXECUTION, MaxItems=1000)
    client.get_durable_execution_history(DurableExecutionArn=EXECUTION, MaxItems=1000, Marker="page 2/2")
    client.send_durable_execution_callback_success(CallbackId=CALLBACK, Result=b'{"approved": true}')
    error = {"ErrorType": "Denied", "ErrorMessage": "not on a Friday"}
    client.send_durable_execution_callback_failure(CallbackId=CALLBACK, Error=error)
    theirs = [wire(request) for request in lambda_endpoint]

    assert len(ours) == len(theirs) == 6
    for mine, boto in zip(ours, theirs, strict=True):
        assert mine[:4] == boto[:4]
        assert json.loads(mine[4] or b"null") == json.loads(boto[4] or b"null")
    assert execution["Status"] == "RUNNING"
    assert [event["EventId"] for event in events] == [1, 2, 3]
    assert api.pending_approval(events) == {"callback_id": CALLBACK, "tool": "publish", "call_id": "call_1"}


def test_every_call_is_signed_as_botocore_signs_it(lambda_endpoint, monkeypatch):
    runs = LambdaRuns(FUNCTION)
    runs.start("run-abc", "{}")
    runs.describe(EXECUTION)
    runs.answer(CALLBACK, False, "no")
    for request in lambda_endpoint:
        headers = {k.lower(): v for k, v in request["headers"].items()}
        signed_names = headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
        when = datetime.datetime.strptime(headers["x-amz-date"], "%Y%m%dT%H%M%SZ")
        monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda when=when: when)
        url = f"{os.environ['AWS_ENDPOINT_URL_LAMBDA']}{request['path']}"
        copy = AWSRequest(
            method=request["method"],
            url=url,
            headers={name: headers[name] for name in signed_names if name not in ("x-amz-date", "host")},
            data=request["body"],
        )
        botocore.auth.SigV4Auth(Credentials("testing", "testing"), "lambda", "{{ cookiecutter.aws_region }}").add_auth(copy)
        assert copy.headers["Authorization"] == headers["authorization"], request["path"]


def test_a_key_reused_with_another_body_is_a_conflict(lambda_endpoint):
    with pytest.raises(api.Conflict, match="different body"):
        LambdaRuns(FUNCTION).start("taken", "{}")


def test_start_through_the_api_names_the_execution_after_the_key(lambda_endpoint, environment):
    from {{ cookiecutter.package_name }}.kit.settings import get_settings

    body = {"messages": [{"role": "user", "content": "hi"}]}
    started = api.start(
        body, {"idempotency-key": "order-42"}, get_settings(), RunSettings(function_arn=FUNCTION)
    )
    assert api.decode_id(started["id"]) == EXECUTION
    (request,) = lambda_endpoint
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["x-amz-durable-execution-name"] == api.execution_name("order-42")
    assert headers["x-amz-invocation-type"] == "Event"
    assert json.loads(request["body"]) == body


def test_on_lambda_without_the_runs_function_the_api_says_so(environment):
    environment.setenv("AWS_LAMBDA_FUNCTION_NAME", "agent")
    with pytest.raises(api.Unavailable, match="RUNS_FUNCTION_ARN"):
        api.backend(RunSettings())
