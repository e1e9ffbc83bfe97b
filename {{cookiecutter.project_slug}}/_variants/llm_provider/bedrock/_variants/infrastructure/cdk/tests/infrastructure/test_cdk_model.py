"""The Bedrock model ID ends the ARN the functions may invoke, so a bad one stops the synth."""

import pytest
from stack_template import CONTEXT

from infra.config import ConfigError, StackConfig


@pytest.mark.parametrize("model", ["", "model/*", "anthropic.*"])
def test_a_bad_model_id_stops_the_synth_with_one_line(model):
    with pytest.raises(ConfigError, match="context agent_model") as error:
        StackConfig.from_context({**CONTEXT, "agent_model": model}.get)
    assert "\n" not in str(error.value)
