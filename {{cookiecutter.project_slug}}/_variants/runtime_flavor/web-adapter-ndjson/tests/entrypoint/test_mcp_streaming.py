"""``POST /mcp`` under a real uvicorn, as the Web Adapter forwards it: progress streams live."""

import pytest
from live_server import serve
from test_mcp import KEY, assert_progress_arrives_while_the_tool_works

from {{ cookiecutter.package_name }}.kit.server import create_server
from {{ cookiecutter.package_name }}.kit.settings import get_settings


@pytest.fixture
def url(environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", KEY)
    get_settings.cache_clear()
    with serve(create_server({}, behind_adapter=True)) as base:
        yield f"{base}/mcp"


def test_progress_reaches_the_client_while_the_tool_works(url):
    assert_progress_arrives_while_the_tool_works(url)
