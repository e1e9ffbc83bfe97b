"""The app as it runs behind the Lambda Web Adapter, for tests that serve it with uvicorn.

The adapter passes what Lambda says about a request (its request context, its deadline) in
two headers of its own, believed only behind the adapter.
"""

import json

from {{ cookiecutter.package_name }}.kit.server import create_server


def app_on_lambda():
    return create_server({}, behind_adapter=True)


def lambda_headers(request_context: dict | None = None, deadline_ms: int | None = None) -> dict:
    """The adapter's headers that carry what Lambda says about a request."""
    headers = {}
    if request_context is not None:
        headers["x-amzn-request-context"] = json.dumps(request_context)
    if deadline_ms is not None:
        headers["x-amzn-lambda-context"] = json.dumps({"deadline": deadline_ms})
    return headers
