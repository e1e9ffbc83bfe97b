"""Every function may publish to Lexia, so every one is told the default stream URL."""

from stack_template import deployed


def test_every_function_knows_the_lexia_stream_url():
    cfn = deployed()
    assert cfn.functions
    for function in cfn.functions:
        # Empty by default: replies go to the stream_url each ChatMessage carries.
        assert cfn.environment(function)["STREAM_URL"] == ""
