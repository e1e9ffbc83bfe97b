"""The streaming client signs for the right service and prints chunks as they arrive."""

import time

import pytest
import stream_url
from http_stub import HttpStub

CHUNKS = [b'{"type":"status"}\n', b'{"type":"status"}\n', b'{"type":"result"}\n']
PAUSE_S = 0.15


def stream_chunks(request, reply):
    reply.start(200, "application/x-ndjson")
    for index, chunk in enumerate(CHUNKS):
        if index:
            time.sleep(PAUSE_S)
        reply.chunk(chunk)
    reply.end()


@pytest.fixture
def server():
    with HttpStub(stream_chunks) as running:
        yield running


def test_request_is_signed_for_lambda_and_chunks_arrive_as_sent(server):
    arrivals, received = [], b""
    chunks = stream_url.stream(f"{server.url}/invoke", b'{"tool": "echo"}', region="eu-west-1")
    for status, headers, chunk in chunks:
        assert status == 200 and headers["content-type"] == "application/x-ndjson"
        arrivals.append(time.perf_counter())
        received += chunk
    assert received == b"".join(CHUNKS)
    assert len(arrivals) == len(CHUNKS), "each chunk is read as soon as it is sent"
    assert arrivals[-1] - arrivals[0] >= 2 * PAUSE_S * 0.9
    [request] = server.requests
    headers = request["headers"]
    assert request["data"] == b'{"tool": "echo"}'
    authorization = headers["authorization"]
    assert authorization.startswith("AWS4-HMAC-SHA256 Credential=testing/")
    assert "/eu-west-1/lambda/aws4_request" in authorization
    assert "SignedHeaders=" in authorization and "x-amz-date" in authorization
    assert headers["x-amz-date"]


def test_unsigned_requests_carry_no_signature(server):
    list(stream_url.stream(f"{server.url}/invoke", b"{}", sign=False, api_key="k-1"))
    [request] = server.requests
    assert "authorization" not in request["headers"]
    assert request["headers"]["x-api-key"] == "k-1"


def test_api_gateway_hosts_are_signed_for_execute_api(server):
    api = "https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/api/invoke"
    assert stream_url.service_of(api) == "execute-api"
    assert stream_url.region_of(api) == "eu-central-1"
    assert stream_url.service_of("https://abc123.lambda-url.eu-central-1.on.aws/invoke") == "lambda"
    list(stream_url.stream(f"{server.url}/api/invoke", b"{}", region="eu-central-1", service="execute-api"))
    [request] = server.requests
    assert "/eu-central-1/execute-api/aws4_request" in request["headers"]["authorization"]


def test_region_comes_from_the_function_url():
    url = "https://abc123.lambda-url.ap-southeast-2.on.aws/invoke"
    assert stream_url.region_of(url) == "ap-southeast-2"
    assert stream_url.region_of(url, "us-west-2") == "us-west-2"


def test_cli_prints_the_stream_and_fails_clearly_on_bad_input(server, capsys):
    assert stream_url.main([f"{server.url}/invoke", "--data", "{}", "--region", "us-east-1"]) == 0
    assert capsys.readouterr().out.encode() == b"".join(CHUNKS)
    assert stream_url.main(["ftp://example.com/x"]) == 2
    assert capsys.readouterr().err.strip() == "error: not an http(s) URL: 'ftp://example.com/x'"
    assert stream_url.main([f"{server.url}/invoke", "--data", "@/nonexistent.json"]) == 2
    assert "cannot read /nonexistent.json" in capsys.readouterr().err


def test_missing_credentials_is_one_line(server, monkeypatch, capsys, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert stream_url.main([f"{server.url}/invoke", "--data", "{}", "--region", "us-east-1"]) == 2
    assert capsys.readouterr().err.startswith("error: no AWS credentials found")
