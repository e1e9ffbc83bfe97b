"""The five Lambda API calls runs need, SigV4-signed on the standard library.

Lambda's API is REST-JSON (a path per operation), not the JSON-1.x protocol of ``aws_api.call``,
but the signature, credentials and endpoints are the same, so they come from ``aws_api``. No
boto3 on the HTTP path: the first ``/v1/runs`` request does not pay for importing it.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from .. import aws_api
from ..errors import NotFound
from .api import Conflict

TIMEOUT_S = 10.0
MAX_HISTORY_PAGES = 20  # 20 pages of 1000 events: far beyond any run's history


class LambdaRuns:
    """Runs of the function ``function_arn`` (qualified by a version or alias)."""

    def __init__(self, function_arn: str) -> None:
        self.function_arn = function_arn

    def start(self, name: str, payload: str) -> str:
        """Invoke asynchronously as the execution ``name``; its ARN (the same for the same name)."""
        headers = {"X-Amz-Invocation-Type": "Event", "X-Amz-Durable-Execution-Name": name}
        path = f"/2015-03-31/functions/{quote(self.function_arn, safe='')}/invocations"
        try:
            reply_headers, _ = request("POST", path, {}, headers, payload.encode(), "Invoke")
        except aws_api.AwsError as problem:
            if problem.code == "DurableExecutionAlreadyStartedException":
                raise Conflict("this Idempotency-Key already started a run with a different body") from None
            raise
        return reply_headers["x-amz-durable-execution-arn"]

    def describe(self, arn: str) -> tuple[dict, list[dict]]:
        """``GetDurableExecution`` and the whole ``GetDurableExecutionHistory``."""
        base = f"/2025-12-01/durable-executions/{quote(arn, safe='')}"
        try:
            _, execution = request("GET", base, {}, {}, b"", "GetDurableExecution")
            events: list[dict] = []
            query = {"MaxItems": "1000"}
            for _ in range(MAX_HISTORY_PAGES):
                _, page = request("GET", f"{base}/history", query, {}, b"", "GetDurableExecutionHistory")
                events.extend(page.get("Events") or [])
                if not page.get("NextMarker"):
                    break
                query = {"MaxItems": "1000", "Marker": page["NextMarker"]}
        except aws_api.AwsError as problem:
            if problem.code in ("ResourceNotFoundException", "InvalidParameterValueException"):
                raise NotFound("no run has this id") from None
            raise
        return execution, events

    def answer(self, callback_id: str, approved: bool, reason: str) -> None:
        """``SendDurableExecutionCallbackSuccess``, or ``...Failure`` carrying the reason."""
        base = f"/2025-12-01/durable-execution-callbacks/{quote(callback_id, safe='')}"
        if approved:
            body = json.dumps({"approved": True}).encode()
            request("POST", f"{base}/succeed", {}, {}, body, "SendDurableExecutionCallbackSuccess")
        else:
            body = json.dumps({"ErrorType": "Denied", "ErrorMessage": reason}).encode()
            request("POST", f"{base}/fail", {}, {}, body, "SendDurableExecutionCallbackFailure")


def request(method: str, path: str, query: dict, headers: dict, body: bytes, name: str) -> tuple[dict, dict]:
    """The reply's headers (lowercase names) and JSON body; AwsError when the call fails."""
    operation = f"lambda {name}"
    credentials, region = aws_api._credentials(operation), aws_api._region(operation)
    url = aws_api.endpoint("lambda", region).rstrip("/") + path
    if query:
        url += "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in sorted(query.items()))
    headers = {"Content-Type": "application/json", **headers} if body else dict(headers)
    problem = None
    for attempt in range(aws_api.RETRIES + 1):
        if attempt:
            time.sleep(aws_api.BACKOFF_S * 2 ** (attempt - 1))
        signed = aws_api.sign(method, url, headers, body, credentials, "lambda", region, aws_api._amz_date())
        call = urllib.request.Request(url, data=body or None, headers=signed, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(call, timeout=TIMEOUT_S) as response:  # noqa: S310
                data = response.read()
                reply_headers = {k.lower(): v for k, v in response.headers.items()}
                return reply_headers, json.loads(data) if data.strip() else {}
        except urllib.error.HTTPError as error:
            with error:
                problem = _error(
                    error.code, error.headers.get("x-amzn-errortype", ""), error.read(), operation
                )
            if error.code < 500 and problem.code not in aws_api._THROTTLED:
                raise problem from None
        except OSError as error:
            reason = getattr(error, "reason", None) or error or type(error).__name__
            problem = aws_api.AwsError("NetworkError", str(reason), None, operation)
    raise problem


def _error(status: int, error_type: str, data: bytes, operation: str) -> aws_api.AwsError:
    try:
        reply = json.loads(data)
    except ValueError:
        reply = {}
    reply = reply if isinstance(reply, dict) else {}
    code = (error_type or str(reply.get("__type") or reply.get("Type") or f"HTTP{status}")).partition(":")[0]
    message = reply.get("message") or reply.get("Message") or "no message"
    return aws_api.AwsError(code.rpartition("#")[2], str(message), status, operation)
