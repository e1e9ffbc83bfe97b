"""Lexia's stream URL is checked at synth."""

import pytest
from stack_template import CONTEXT

from infra.config import ConfigError, StackConfig


def test_a_stream_url_that_is_not_http_stops_the_synth_with_one_line():
    with pytest.raises(ConfigError, match="context stream_url") as error:
        StackConfig.from_context({**CONTEXT, "stream_url": "centrifugo:8000"}.get)
    assert "\n" not in str(error.value)
