"""ship sets the Lexia fallback stream URL (ship.toml's stream_url) on every function."""

from dataclasses import replace

import pytest
from ship_moto import KIT, ROOT, part_functions, shared_deployment

from ship.config import load
from ship.errors import ShipError
from ship.flavor import FUNCTIONS
from ship.parts import lexia
from ship.plan import Plan, function_environment


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
    config = load(ROOT / "ship.toml")
    config = replace(config, extra={**config.extra, "stream_url": "https://centrifugo.example.com/api"})
    env = lexia.environment(Plan(config, FUNCTIONS), None)
    assert env["STREAM_URL"] == "https://centrifugo.example.com/api"
    with pytest.raises(ShipError, match=r"STREAM_URL is set by ship deploy .*; set stream_url in ship"):
        function_environment(Plan(config, FUNCTIONS), FUNCTIONS[0], {"STREAM_URL": "https://elsewhere"}, env)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("stream_url = 5\n", "stream_url must be a string"), ('stream_url = "x"\n', "stream_url must be")],
)
def test_a_bad_stream_url_is_one_line(tmp_path, text, expected):
    path = tmp_path / "ship.toml"
    path.write_text('name = "x"\nregion = "us-east-1"\n' + text)
    with pytest.raises(ShipError, match=expected):
        load(path)
