"""``POST /mcp`` through the real runtime behind the Function URL stand-in: progress streams live."""

import pytest
from http_stub import serving
from lambda_standin import FunctionUrlServer
from test_mcp import KEY, assert_progress_arrives_while_the_tool_works
from test_runtime import runtime


@pytest.fixture(scope="module")
def url():
    handler = "{{ cookiecutter.package_name }}.kit.handler.handler"
    with (
        runtime(handler, API_KEY_SOURCE="env", API_KEY=KEY) as (api, _),
        serving(FunctionUrlServer(0, api, 60_000)) as front,
    ):
        yield f"http://127.0.0.1:{front.server_address[1]}/mcp"


def test_progress_reaches_the_client_while_the_tool_works(url):
    assert_progress_arrives_while_the_tool_works(url)
