"""ship sets the Lexia fallback stream URL (ship.toml's stream_url) on every function."""

from dataclasses import replace

import pytest
from ship_moto import KIT, ROOT, part_functions, shared_deployment

from ship.config import load
from ship.flavor import FUNCTIONS
from ship.plan import Plan, managed_environment


@pytest.fixture(scope="module")
def deployed():
    return shared_deployment()


def test_every_function_gets_the_stream_url(deployed):
    created = deployed.first.recorder.sent("CreateFunction")
    # The optional parts' functions run the agent too.
    assert len(created) == len(FUNCTIONS) + len(part_functions())
    assert KIT["stream_url"] == ""
    for params in created:
        assert params["Environment"]["Variables"]["STREAM_URL"] == ""


def test_the_stream_url_comes_from_ship_toml():
    config = replace(load(ROOT / "ship.toml"), stream_url="https://centrifugo.example.com/api")
    env = managed_environment(Plan(config, FUNCTIONS), "", "", "")
    assert env["STREAM_URL"] == "https://centrifugo.example.com/api"
