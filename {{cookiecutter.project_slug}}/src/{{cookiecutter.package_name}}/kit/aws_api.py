"""A small AWS client on the standard library: SigV4-signed calls to JSON-protocol APIs.

The function reads a secret, sends to SQS and keeps queued messages in DynamoDB; importing
boto3 for that would slow every cold start that needs it. Credentials and region come from
the environment Lambda sets; on a developer machine without them, botocore (when installed)
supplies the profile's. Endpoints follow botocore's ``AWS_ENDPOINT_URL_<SERVICE>`` /
``AWS_ENDPOINT_URL`` convention (``AWS_ENDPOINT_URL_DYNAMODB`` for the message store), so moto,
LocalStack and DynamoDB Local work.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from functools import cache
from urllib.parse import quote, urlsplit

TIMEOUT_S = 10.0
RETRIES = 2  # after the first try, on throttling, 5xx and connection errors
BACKOFF_S = 0.2  # doubles on each retry
# botocore's names: AWS_ENDPOINT_URL_<serviceId in upper snake case>; JSON 1.0 or 1.1 per service model.
_ENDPOINT_IDS = {"secretsmanager": "SECRETS_MANAGER"}
_JSON_1_0 = {"sqs", "dynamodb"}
_THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
}


class AwsError(Exception):
    """A failed call. ``str()`` is one line naming the operation, never the payload or credentials."""

    def __init__(self, code: str, message: str, status: int | None = None, operation: str = "AWS call"):
        self.code, self.message, self.status, self.operation = code, message, status, operation
        super().__init__(" ".join(f"{operation} failed: {code}: {message}".split())[:500])


def call(service: str, target: str, payload: dict, *, timeout: float = TIMEOUT_S) -> dict:
    """POST ``payload`` to ``service`` as the ``X-Amz-Target`` ``target``; the decoded JSON reply."""
    operation = f"{service} {target.rpartition('.')[2]}"
    credentials, region = _credentials(operation), _region(operation)
    url = endpoint(service, region)
    if not url.startswith(("http://", "https://")):
        raise AwsError("BadEndpoint", f"{url!r} does not start with http:// or https://", None, operation)
    version = "1.0" if service in _JSON_1_0 else "1.1"
    headers = {"Content-Type": f"application/x-amz-json-{version}", "X-Amz-Target": target}
    body = json.dumps(payload).encode()
    for attempt in range(RETRIES + 1):
        if attempt:
            time.sleep(BACKOFF_S * 2 ** (attempt - 1))
        signed = sign("POST", url, headers, body, credentials, service, region, _amz_date())
        try:
            status, data = _post(url, signed, body, timeout)
        except OSError as error:  # refused, timed out, dropped
            reason = getattr(error, "reason", None) or error or type(error).__name__
            problem = AwsError("NetworkError", f"{reason} ({urlsplit(url).netloc})", None, operation)
            continue
        if status < 300:
            return json.loads(data or b"{}")
        problem = _error(status, data, operation)
        if status < 500 and problem.code not in _THROTTLED:
            raise problem
    raise problem


def sign(method, url, headers, body, credentials, service, region, amz_date) -> dict:
    """``headers`` plus Host, X-Amz-Date, the session token and a SigV4 Authorization header.

    ``credentials`` is (access key, secret key, token or None); ``amz_date`` is like 20250102T030405Z.
    """
    access_key, secret_key, token = credentials
    parts = urlsplit(url)
    signed = {name.lower(): value for name, value in headers.items()}
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    signed["host"] = f"{host}:{parts.port}" if parts.port and parts.port != default_port else host
    signed["x-amz-date"] = amz_date
    if token:
        signed["x-amz-security-token"] = token
    names = sorted(signed)
    pairs = sorted(pair.partition("=")[::2] for pair in parts.query.split("&") if pair)
    query = "&".join(f"{key}={value}" for key, value in pairs)
    lines = [f"{name}:{' '.join(signed[name].split())}" for name in names]
    path = quote(parts.path or "/", safe="/~")
    payload_hash = hashlib.sha256(body).hexdigest()
    canonical = "\n".join([method, path, query, *lines, "", ";".join(names), payload_hash])
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = f"AWS4{secret_key}".encode()
    for part in (amz_date[:8], region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    credential = f"Credential={access_key}/{scope}, SignedHeaders={';'.join(names)}, Signature={signature}"
    signed["authorization"] = f"AWS4-HMAC-SHA256 {credential}"
    return signed


def endpoint(service: str, region: str) -> str:
    """Where ``service`` lives: botocore's endpoint variables first, then the public endpoint."""
    name = _ENDPOINT_IDS.get(service, service.upper())
    configured = os.environ.get(f"AWS_ENDPOINT_URL_{name}") or os.environ.get("AWS_ENDPOINT_URL")
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return configured or f"https://{service}.{region}.{suffix}"


def _credentials(operation: str) -> tuple:
    access_key, secret_key = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if access_key and secret_key:
        return access_key, secret_key, os.environ.get("AWS_SESSION_TOKEN") or None
    session = _botocore_session()
    found = session.get_credentials() if session else None
    if found is None:
        hint = "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN if temporary)"
        raise AwsError(
            "NoCredentials", f"{hint}, or install botocore and configure a profile", None, operation
        )
    frozen = found.get_frozen_credentials()
    return frozen.access_key, frozen.secret_key, frozen.token


def _region(operation: str) -> str:
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if not region and (session := _botocore_session()):
        region = session.get_config_variable("region")
    if not region:
        raise AwsError("NoRegion", "set AWS_REGION or AWS_DEFAULT_REGION", None, operation)
    return region


@cache
def _botocore_session():
    """botocore's session, for profiles and SSO on a developer machine; None when not installed."""
    try:
        import botocore.session
    except ImportError:
        return None
    return botocore.session.get_session()


def _post(url: str, headers: dict, body: bytes, timeout: float) -> tuple[int, bytes]:
    import http.client
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()
    except http.client.HTTPException as error:  # e.g. a reply cut short
        raise ConnectionError(f"{type(error).__name__}: {error}") from None


def _error(status: int, data: bytes, operation: str) -> AwsError:
    try:
        reply = json.loads(data)
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        return AwsError(f"HTTP{status}", "the reply is not an AWS error document", status, operation)
    # "__type" is the code, sometimes namespaced ("com.amazonaws.sqs#QueueDoesNotExist").
    code = str(reply.get("__type") or f"HTTP{status}").rpartition("#")[2].partition(":")[0]
    message = reply.get("message") or reply.get("Message") or "no message"
    return AwsError(code, str(message), status, operation)


def _amz_date() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
