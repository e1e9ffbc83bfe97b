"""How tests/entrypoint/test_fuzz.py reaches this function: the server's ASGI app.

The Lambda Web Adapter passes each Function URL request to uvicorn as plain HTTP, so the
app the server runs is the way in.
"""

import asyncio

import httpx

from {{ cookiecutter.package_name }}.kit.server import create_server

transport = httpx.ASGITransport(app=create_server({}), raise_app_exceptions=False)


def through_the_server(method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    async def request() -> tuple[int, bytes]:
        async with httpx.AsyncClient(transport=transport, base_url="http://agent.local") as client:
            raw_headers = {name: value.encode() for name, value in headers.items()}
            response = await client.request(method, path, headers=raw_headers, content=body)
            return response.status_code, response.content

    return asyncio.run(request())


TARGETS = {"server": through_the_server}
