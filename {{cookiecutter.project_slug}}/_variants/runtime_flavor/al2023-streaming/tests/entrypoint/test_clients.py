"""The clients for deployed functions: a SigV4-signed Function URL stream and boto3's
``invoke_with_response_stream`` reader."""

import json

import pytest
import stream_invoke
import stream_url
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from http_stub import serving
from lambda_standin import FunctionUrlServer
from test_runtime import runtime


@pytest.fixture(scope="module")
def url():
    with runtime() as (api, _), serving(FunctionUrlServer(0, api, 60_000)) as front:
        yield f"http://127.0.0.1:{front.server_address[1]}", api


def expected_signature(headers, method, url, body):
    """Sign the request the function received again, as Lambda's IAM check would."""
    authorization = headers["authorization"]
    names = authorization.split("SignedHeaders=")[1].split(",")[0].split(";")
    request = AWSRequest(method=method, url=url, data=body, headers={n: headers[n] for n in names})
    request.context["timestamp"] = headers["x-amz-date"]
    auth = SigV4Auth(Credentials("testing", "testing"), "lambda", "{{ cookiecutter.aws_region }}")
    return auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)


def test_signed_function_url_request_streams_to_stdout(url, capsys):
    base, api = url
    body = json.dumps({"tool": "slow_process", "arguments": {"message": "hi", "steps": 2, "delay_ms": 0}})
    assert stream_url.main([f"{base}/invoke", "--data", body, "--region", "{{ cookiecutter.aws_region }}"]) == 0
    out, _ = capsys.readouterr()
    assert [json.loads(line)["type"] for line in out.splitlines()] == ["status"] * 3 + ["result"]
    headers = api.history[-1].event["headers"]
    assert headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=testing/")
    assert "/{{ cookiecutter.aws_region }}/lambda/aws4_request" in headers["authorization"]
    signature = headers["authorization"].rsplit("Signature=", 1)[1]
    assert signature == expected_signature(headers, "POST", f"{base}/invoke", body.encode())


def test_unsigned_request_with_an_error_status_exits_non_zero(url, capsys):
    base, _ = url
    assert stream_url.main([f"{base}/invoke", "--data", "{oops", "--no-sign"]) == 1
    assert "error: HTTP 400" in capsys.readouterr().err


def test_invoke_stream_prints_the_body_and_the_prelude_status(capsys):
    prelude = json.dumps({"statusCode": 200, "headers": {"content-type": "application/x-ndjson"}}).encode()
    events = [
        {"PayloadChunk": {"Payload": prelude[:10]}},
        {"PayloadChunk": {"Payload": prelude[10:] + b"\0" * 8 + b'{"a":1}\n'}},
        {"PayloadChunk": {"Payload": b'{"b":2}\n'}},
        {"InvokeComplete": {}},
    ]
    assert stream_invoke.print_stream(events, stream_invoke.HTTP_INTEGRATION) == 0
    out, err = capsys.readouterr()
    assert out == '{"a":1}\n{"b":2}\n'
    assert "HTTP 200" in err


def test_invoke_stream_reports_a_failed_invocation(capsys):
    events = [
        {"PayloadChunk": {"Payload": b"partial"}},
        {"InvokeComplete": {"ErrorCode": "Runtime.HandlerError"}},
    ]
    assert stream_invoke.print_stream(events, "application/octet-stream") == 1
    assert "Runtime.HandlerError" in capsys.readouterr().err
