"""The runtime stand-in with a streaming REST API in front instead of a Function URL.

Each request becomes a REST API proxy event (payload 1.0), and the runtime is started with
``REST_API_STREAMING=true``, as the infrastructure configures the deployed function.

    python scripts/rest_api_standin.py --port 8000 -- ./bootstrap
"""

from __future__ import annotations

import base64
import sys
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from lambda_standin import REGION, main

API_ID = "localapi00"
API_STAGE = "api"


def rest_api_event(
    method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str = "127.0.0.1"
) -> dict[str, Any]:
    """A REST API proxy event (payload 1.0), as API Gateway sends one for ``/{proxy+}``."""
    url = urlsplit(target)
    path = url.path or "/"
    domain = f"{API_ID}.execute-api.{REGION}.amazonaws.com"
    try:
        text, encoded = body.decode(), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(body).decode(), True
    query: dict[str, list[str]] = {}
    for pair in filter(None, url.query.split("&")):
        name, _, value = pair.partition("=")
        query.setdefault(name, []).append(value)
    all_headers = {"Host": domain} | dict(headers)
    return {
        "resource": "/{proxy+}" if path != "/" else "/",
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": {name: values[-1] for name, values in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": {"proxy": path.lstrip("/")} if path != "/" else None,
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": API_ID,
            "domainName": domain,
            "httpMethod": method,
            # No key or signature is checked here, so none is vouched for: the function's own
            # API key check applies, as it does behind the Function URL.
            "identity": {"sourceIp": source_ip, "userAgent": headers.get("user-agent", ""), "apiKeyId": None},
            "path": f"/{API_STAGE}{path}",
            "protocol": "HTTP/1.1",
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(time.time() * 1000),
            "resourceId": "local0",
            "resourcePath": "/{proxy+}" if path != "/" else "/",
            "stage": API_STAGE,
        },
        "body": text if body else None,
        "isBase64Encoded": encoded,
    }


if __name__ == "__main__":
    streaming = {"REST_API_STREAMING": "true"}
    front = {"front_name": "REST API (streaming)", "description": __doc__.splitlines()[0]}
    sys.exit(main(event_of=rest_api_event, environment=streaming, **front))
