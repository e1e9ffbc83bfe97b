"""How tests/test_fuzz.py reaches this function: the server's ASGI app.

The Lambda Web Adapter passes each Function URL request to uvicorn as plain HTTP, so the
app the server runs is the way in.
"""

from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.server import create_server

client = TestClient(create_server({}), raise_server_exceptions=False)


def through_the_server(method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    raw_headers = {name: value.encode() for name, value in headers.items()}
    response = client.request(method, path, headers=raw_headers, content=body)
    return response.status_code, response.content


TARGETS = {"server": through_the_server}
