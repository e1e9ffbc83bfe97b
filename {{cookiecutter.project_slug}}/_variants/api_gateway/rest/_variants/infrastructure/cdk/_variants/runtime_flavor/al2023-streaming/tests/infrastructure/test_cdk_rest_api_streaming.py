"""The custom runtime cannot tell a streamed REST API request from a buffered one; the stack
tells it."""

from stack_template import deployed


def test_the_function_is_told_that_rest_api_requests_stream():
    cfn = deployed()
    assert cfn.environment(cfn.url_function())["REST_API_STREAMING"] == "true"
