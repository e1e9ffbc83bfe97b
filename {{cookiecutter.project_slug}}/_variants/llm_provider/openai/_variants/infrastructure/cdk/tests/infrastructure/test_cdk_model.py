"""The endpoint's settings are checked at synth, each bad one with one line naming its key."""

import pytest
from stack_template import CONTEXT

from infra.config import ConfigError, StackConfig


@pytest.mark.parametrize(
    ("key", "value"), [("agent_model", ""), ("agent_model", "gpt 4o"), ("openai_base_url", "api.example")]
)
def test_bad_model_settings_stop_the_synth_with_one_line(key, value):
    with pytest.raises(ConfigError, match=f"context {key}") as error:
        StackConfig.from_context({**CONTEXT, key: value}.get)
    assert "\n" not in str(error.value)
