"""The kit's standard-library AWS client: botocore's signatures, moto's replies, one-line errors."""

import datetime
import json
import os
import socket
import subprocess
import sys

import boto3
import botocore.auth
import botocore.session
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from http_stub import HttpStub

from {{ cookiecutter.package_name }}.kit import aws_api
from {{ cookiecutter.package_name }}.kit.aws_api import AwsError, call
from {{ cookiecutter.package_name }}.kit.errors import BadGateway
from {{ cookiecutter.package_name }}.kit.payloads import MessageRequest
from {{ cookiecutter.package_name }}.kit.queue import enqueue
from {{ cookiecutter.package_name }}.kit.secret_store import read_secret

from conftest import ROOT

WHEN = datetime.datetime(2025, 1, 2, 3, 4, 5)
AMZ_DATE = "20250102T030405Z"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+session/token=="
HEADERS = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "secretsmanager.GetSecretValue"}
URLS = [
    "https://secretsmanager.us-east-1.amazonaws.com/",
    "https://sqs.eu-west-1.amazonaws.com:443/",  # a default port is left out of Host
    "http://127.0.0.1:4566",  # no path: signed as "/"
    "http://localhost:4566/prefix/~user/some%20path/?b=2&a=1&a=0&flag",
]


@pytest.fixture
def no_retry_wait(monkeypatch):
    monkeypatch.setattr(aws_api, "BACKOFF_S", 0)


@pytest.fixture
def fresh_botocore():
    """Forget botocore's session (and any credentials it found) before and after the test."""
    aws_api._botocore_session.cache_clear()
    yield
    aws_api._botocore_session.cache_clear()


def botocore_signed(url, headers, body, credentials, service, region, monkeypatch):
    """The headers botocore adds for the same request at the same instant."""
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: WHEN)
    request = AWSRequest(method="POST", url=url, data=body, headers=dict(headers))
    botocore.auth.SigV4Auth(Credentials(*credentials), service, region).add_auth(request)
    return {name.lower(): value for name, value in request.headers.items()}


# --- SigV4: byte for byte what botocore signs ---------------------------------------------


@pytest.mark.parametrize("token", [None, TOKEN], ids=["long-term", "session-token"])
@pytest.mark.parametrize("url", URLS)
def test_signature_matches_botocore(url, token, monkeypatch):
    credentials = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
    body = json.dumps({"SecretId": "arn:aws:secretsmanager:us-east-1:123:secret:x", "n": "é"}).encode()
    headers = {**HEADERS, "X-Spaced": "  two   words "}
    ours = aws_api.sign("POST", url, headers, body, credentials, "secretsmanager", "us-east-1", AMZ_DATE)
    theirs = botocore_signed(url, headers, body, credentials, "secretsmanager", "us-east-1", monkeypatch)
    assert ours.pop("host") == botocore.auth._host_from_url(url)
    assert ours == theirs
    assert ("x-amz-security-token" in ours) == bool(token)


def test_an_empty_body_signs_like_botocore(monkeypatch):
    credentials = ("AKID", "secret", None)
    ours = aws_api.sign("POST", URLS[0], HEADERS, b"", credentials, "ssm", "ap-south-1", AMZ_DATE)
    del ours["host"]
    assert ours == botocore_signed(URLS[0], HEADERS, b"", credentials, "ssm", "ap-south-1", monkeypatch)


@pytest.fixture
def scripted(environment, request):
    """A local endpoint that answers from a script (``request.param``) and records what it was sent."""
    replies = list(request.param)
    with HttpStub(lambda sent, reply: reply.json(*replies.pop(0))) as server:
        environment.setenv("AWS_ENDPOINT_URL", server.url)
        yield server


@pytest.mark.parametrize("scripted", [[(200, {"ok": 1})]], indirect=True)
@pytest.mark.parametrize(
    ("service", "target"),
    [
        ("secretsmanager", "secretsmanager.GetSecretValue"),
        ("ssm", "AmazonSSM.GetParameter"),
        ("sqs", "AmazonSQS.SendMessage"),
    ],
)
def test_what_goes_on_the_wire_is_what_botocore_would_sign(scripted, service, target, environment):
    environment.setenv("AWS_SESSION_TOKEN", TOKEN)
    assert call(service, target, {"Name": "x"}) == {"ok": 1}
    [sent] = scripted.requests
    headers = sent["headers"]
    model = botocore.session.get_session().get_service_model(service).metadata
    assert headers["content-type"] == f"application/x-amz-json-{model['jsonVersion']}"
    assert headers["x-amz-target"] == target and target.startswith(model["targetPrefix"] + ".")
    assert headers["host"] == botocore.auth._host_from_url(scripted.url)
    assert json.loads(sent["data"]) == {"Name": "x"}
    # botocore, given the same request at the same instant, computes the same signature.
    when = datetime.datetime.strptime(headers["x-amz-date"], "%Y%m%dT%H%M%SZ")
    environment.setattr(botocore.auth, "get_current_datetime", lambda: when)
    same = {"Content-Type": headers["content-type"], "X-Amz-Target": target}
    request = AWSRequest(method="POST", url=scripted.url + sent["path"], data=sent["data"], headers=same)
    credentials = Credentials("testing", "testing", TOKEN)
    botocore.auth.SigV4Auth(credentials, service, os.environ["AWS_DEFAULT_REGION"]).add_auth(request)
    assert headers["authorization"] == request.headers["Authorization"]


@pytest.mark.parametrize("service", ["secretsmanager", "ssm", "sqs"], ids=["secretsmanager", "ssm", "sqs"])
def test_endpoints_follow_botocore(service, environment):
    for name in [name for name in os.environ if name.startswith("AWS_ENDPOINT_URL")]:
        environment.delenv(name)
    public = aws_api.endpoint(service, "eu-west-1")
    assert public == f"https://{service}.eu-west-1.amazonaws.com"
    assert boto3.client(service, region_name="eu-west-1").meta.endpoint_url == public
    environment.setenv("AWS_ENDPOINT_URL", "http://everything.invalid:1")
    name = botocore.session.get_session().get_service_model(service).service_id.upper().replace(" ", "_")
    environment.setenv(f"AWS_ENDPOINT_URL_{name}", "http://just-this.invalid:2")
    assert aws_api.endpoint(service, "eu-west-1") == "http://just-this.invalid:2"
    assert boto3.client(service).meta.endpoint_url == "http://just-this.invalid:2"


# --- retries and failures without AWS -------------------------------------------------------

THROTTLED = (400, {"__type": "ThrottlingException", "message": "Rate exceeded"})
OK = (200, {"Parameter": {"Value": "v"}})
NO_QUEUE = (400, {"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "No such queue."})


@pytest.mark.parametrize("scripted", [[THROTTLED, (503, {}), OK]], indirect=True)
def test_throttling_and_5xx_are_retried(scripted, no_retry_wait):
    assert read_secret(parameter="/p") == "v"
    assert len(scripted.requests) == 3


@pytest.mark.parametrize("scripted", [[THROTTLED] * 3], indirect=True)
def test_retries_give_up_with_the_last_error(scripted, no_retry_wait):
    with pytest.raises(AwsError) as raised:
        read_secret(parameter="/p")
    assert str(raised.value) == "ssm GetParameter failed: ThrottlingException: Rate exceeded"
    assert (raised.value.code, raised.value.status, len(scripted.requests)) == ("ThrottlingException", 400, 3)


@pytest.mark.parametrize("scripted", [[NO_QUEUE]], indirect=True)
def test_a_client_error_is_not_retried(scripted):
    with pytest.raises(AwsError, match=r"^sqs SendMessage failed: QueueDoesNotExist: No such queue\.$"):
        call("sqs", "AmazonSQS.SendMessage", {"QueueUrl": "q", "MessageBody": "secret body"})
    assert len(scripted.requests) == 1


@pytest.mark.parametrize("scripted", [[(502, "<html>\nBad gateway\n</html>")] * 3], indirect=True)
def test_a_reply_that_is_not_an_aws_error_still_reads_in_one_line(scripted, no_retry_wait):
    with pytest.raises(AwsError) as raised:
        call("ssm", "AmazonSSM.GetParameter", {"Name": "/p"})
    assert str(raised.value) == "ssm GetParameter failed: HTTP502: the reply is not an AWS error document"


def test_connection_refused_is_one_line(environment, no_retry_wait):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    environment.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(AwsError) as raised:
        call("sqs", "AmazonSQS.SendMessage", {"MessageBody": "do not show me"})
    message = str(raised.value)
    assert message.startswith("sqs SendMessage failed: NetworkError: ") and "\n" not in message
    assert f"127.0.0.1:{port}" in message and "do not show me" not in message


def test_a_timeout_is_one_line(environment, no_retry_wait):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        environment.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{silent.getsockname()[1]}")
        with pytest.raises(AwsError, match=r"^ssm GetParameter failed: NetworkError: .*timed out"):
            call("ssm", "AmazonSSM.GetParameter", {"Name": "/p"}, timeout=0.2)


def test_an_endpoint_without_a_scheme_is_refused(environment):
    environment.setenv("AWS_ENDPOINT_URL_SSM", "localhost:4566")
    with pytest.raises(AwsError, match=r"^ssm GetParameter failed: BadEndpoint: 'localhost:4566' does not"):
        call("ssm", "AmazonSSM.GetParameter", {"Name": "/p"})


# --- credentials and region -----------------------------------------------------------------


@pytest.fixture
def no_env_credentials(environment, fresh_botocore, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        environment.delenv(name, raising=False)
    environment.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    environment.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    environment.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        environment.delenv(name, raising=False)
    return tmp_path


@pytest.mark.parametrize("botocore_installed", [False, True], ids=["no-botocore", "botocore-finds-none"])
def test_missing_credentials_name_the_variables(no_env_credentials, environment, botocore_installed):
    if not botocore_installed:
        environment.setitem(sys.modules, "botocore.session", None)
    with pytest.raises(AwsError) as raised:
        read_secret(secret_id="anything")
    message = str(raised.value)
    assert message.startswith("secretsmanager GetSecretValue failed: NoCredentials: set AWS_ACCESS_KEY_ID")
    assert "AWS_SECRET_ACCESS_KEY" in message and "\n" not in message


def test_a_profile_is_used_when_the_variables_are_absent(aws, no_env_credentials):
    ssm = boto3.client("ssm", aws_access_key_id="testing", aws_secret_access_key="testing")
    ssm.put_parameter(Name="/p", Value="from-profile", Type="SecureString")
    (no_env_credentials / "credentials").write_text(
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n"
    )
    assert aws_api._credentials("test") == ("AKIDPROFILE", "profile-secret", None)
    assert read_secret(parameter="/p") == "from-profile"


def test_missing_region_is_one_clear_line(environment, fresh_botocore):
    environment.delenv("AWS_REGION", raising=False)
    environment.delenv("AWS_DEFAULT_REGION", raising=False)
    environment.setitem(sys.modules, "botocore.session", None)
    with pytest.raises(
        AwsError, match=r"^sqs SendMessage failed: NoRegion: set AWS_REGION or AWS_DEFAULT_REGION$"
    ):
        call("sqs", "AmazonSQS.SendMessage", {})


@pytest.mark.parametrize("scripted", [[OK]], indirect=True)
def test_aws_region_wins_over_the_default_region(scripted, environment):
    environment.setenv("AWS_REGION", "eu-west-2")
    environment.setenv("AWS_DEFAULT_REGION", "us-west-1")
    call("ssm", "AmazonSSM.GetParameter", {"Name": "/p"})
    assert "/eu-west-2/ssm/aws4_request" in scripted.requests[0]["headers"]["authorization"]


# --- real calls against moto's HTTP server --------------------------------------------------


def test_secrets_manager_and_ssm_through_moto(aws):
    boto3.client("secretsmanager").create_secret(Name="plain", SecretString="abc123")
    boto3.client("secretsmanager").create_secret(
        Name="wrapped", SecretString='{"api_key": "xyz", "other": 1}'
    )
    boto3.client("ssm").put_parameter(Name="/agent/key", Value="from-ssm", Type="SecureString")
    reply = call("secretsmanager", "secretsmanager.GetSecretValue", {"SecretId": "plain"})
    assert (reply["Name"], reply["SecretString"]) == ("plain", "abc123")
    assert read_secret(secret_id="wrapped") == "xyz"
    assert read_secret(parameter="/agent/key") == "from-ssm"


def test_the_service_endpoint_variable_wins(aws, environment):
    boto3.client("secretsmanager").create_secret(Name="s", SecretString="v")
    environment.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    environment.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", aws)
    assert read_secret(secret_id="s") == "v"


def test_enqueue_sends_the_body_and_the_response_uuid(aws):
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="agent-queue")["QueueUrl"]
    request = MessageRequest(message="hello", response_uuid="resp-42")
    message_id = enqueue(request, queue_url)
    [message] = sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=["All"])["Messages"]
    assert message["MessageId"] == message_id
    assert json.loads(message["Body"]) == json.loads(request.to_json())
    assert message["MessageAttributes"] == {"response_uuid": {"StringValue": "resp-42", "DataType": "String"}}


def test_a_missing_secret_is_one_line_without_secrets(aws):
    with pytest.raises(AwsError) as raised:
        read_secret(secret_id="nope")
    error = raised.value
    assert error.code == "ResourceNotFoundException" and error.status in (400, 404)  # AWS: 400, moto: 404
    assert str(error) == f"secretsmanager GetSecretValue failed: ResourceNotFoundException: {error.message}"
    assert "\n" not in str(error) and "testing" not in str(error)


def test_a_missing_queue_is_one_line(aws):
    with pytest.raises(BadGateway, match=r"^the message could not be queued: sqs SendMessage failed: Queue"):
        enqueue(MessageRequest(message="hi", response_uuid="r"), f"{aws}/123456789012/missing")


# --- cost -----------------------------------------------------------------------------------


def test_importing_costs_only_cheap_standard_library():
    script = "\n".join([
        "import sys",
        "before = set(sys.modules)",
        "import {{ cookiecutter.package_name }}.kit.queue",
        "import {{ cookiecutter.package_name }}.kit.secret_store",
        "lazy = '{{ cookiecutter.package_name }}.kit.aws_api' not in sys.modules",
        "print('lazy' if lazy else 'eager')",
        "import {{ cookiecutter.package_name }}.kit.aws_api",
        "print(*sorted(set(sys.modules) - before))",
    ])  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    lazy, loaded = done.stdout.splitlines()
    assert lazy == "lazy", "secret_store and queue load the client only when called"
    heavy = {"typing", "dataclasses", "logging", "asyncio", "urllib.request", "http.client", "botocore"}
    assert not heavy & set(loaded.split()), loaded
