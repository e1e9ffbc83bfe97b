"""A local stand-in for the Lambda Web Adapter: a Lambda event in, the function's answer out.

`make invoke EVENT=events/<file>.json` calls ``invoke`` through scripts/invoke.py. As the
adapter does, it turns an HTTP event (Function URL, API Gateway) into a request to the
app, with the request context in ``x-amzn-request-context``, and POSTs any other event
raw to the pass-through path, failing the invocation on a 5xx answer. Responses are
collected whole here; to watch one stream, use `make dev` and curl -N.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import urlencode

from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.kit.server import create_server
from {{ cookiecutter.package_name }}.kit.triggers import trigger_of

PASS_THROUGH_PATH = "/events"
# The worker function's AWS_LWA_ERROR_STATUS_CODES.
ERROR_STATUS = range(500, 600)


class InvocationFailed(RuntimeError):
    """The adapter would report this invocation as failed."""


def http_request(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Method, path, headers and body of an HTTP event (payload 2.0 or 1.0)."""
    request_context = event.get("requestContext", {})
    if "http" in request_context:
        method, path = request_context["http"]["method"], event.get("rawPath", "/")
        query = event.get("rawQueryString", "")
    else:
        method, path = event["httpMethod"], event.get("path", "/")
        query = urlencode(event.get("queryStringParameters") or {})
    body = event.get("body") or ""
    content = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode()
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    headers["x-amzn-request-context"] = json.dumps(request_context)
    headers.update(lambda_context(context))
    url = path + (f"?{query}" if query else "")
    return {"method": method, "url": url, "headers": headers, "content": content}


def lambda_context(context: Any) -> dict[str, str]:
    """The invocation's request id and deadline (epoch milliseconds), as the adapter sends them
    (none without a context)."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        return {}
    fields = {
        "request_id": getattr(context, "aws_request_id", None),
        "deadline": int(time.time() * 1000) + remaining(),
    }
    return {"x-amzn-lambda-context": json.dumps(fields)}


def invoke(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    server = create_server({"AWS_LWA_PASS_THROUGH_PATH": PASS_THROUGH_PATH}, behind_adapter=True)
    with TestClient(server) as client:
        if trigger_of(event) == "http":
            response = client.request(**http_request(event, context))
            headers = dict(response.headers)
            return {"statusCode": response.status_code, "headers": headers, "body": response.text}
        response = client.post(PASS_THROUGH_PATH, json=event, headers=lambda_context(context))
    if response.status_code in ERROR_STATUS:
        raise InvocationFailed(f"HTTP {response.status_code} from {PASS_THROUGH_PATH}: {response.text}")
    return response.json()
