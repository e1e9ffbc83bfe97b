"""How tests/entrypoint/test_fuzz.py reaches this function: the ASGI app, and the Lambda handler.

The app directly (as uvicorn would serve it), and ``handler.handler`` with Function URL
events through Mangum, as Lambda runs it. Bodies arrive base64-encoded, as Lambda sends
bytes that are not text.
"""

import asyncio
import base64

import httpx

from {{ cookiecutter.package_name }}.kit.app import app
from {{ cookiecutter.package_name }}.kit.handler import handler

from conftest import http_event
from lambda_context import LambdaContext

transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)


def through_the_app(method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    async def request() -> tuple[int, bytes]:
        async with httpx.AsyncClient(transport=transport, base_url="http://agent.local") as client:
            raw_headers = {name: value.encode() for name, value in headers.items()}
            response = await client.request(method, path, headers=raw_headers, content=body)
            return response.status_code, response.content

    return asyncio.run(request())


def through_the_handler(method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    event = http_event(path, method=method, headers=headers)
    event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    reply = handler(event, LambdaContext())
    data = reply.get("body") or ""
    return reply["statusCode"], base64.b64decode(data) if reply["isBase64Encoded"] else data.encode()


TARGETS = {"asgi": through_the_app, "mangum": through_the_handler}
