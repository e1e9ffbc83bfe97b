"""The adapter variables in the Dockerfile are ones the adapter reads, with values it accepts."""

from pathlib import Path

import pytest
from adapter_env import HTTP_FUNCTION, WORKER_FUNCTION, problems

ROOT = Path(__file__).resolve().parents[2]


def dockerfile_env() -> dict[str, str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        keyword, _, rest = line.strip().partition(" ")
        if keyword.upper() == "ENV":
            for pair in rest.split():
                name, _, value = pair.partition("=")
                found[name] = value
    return found


def test_dockerfile_sets_only_known_adapter_variables():
    env = dockerfile_env()
    assert env["AWS_LWA_READINESS_CHECK_PATH"] == "/health"
    assert env["AWS_LWA_PORT"] == "8080"
    assert problems(env) == []


def test_function_settings_are_valid_themselves():
    assert problems(HTTP_FUNCTION) == []
    assert problems(WORKER_FUNCTION) == []


@pytest.mark.parametrize(
    ("variables", "problem"),
    [
        ({"AWS_LWA_INVOKEMODE": "response_stream"}, "not a variable"),
        ({"AWS_LAMBDA_WEB_ADAPTER_INVOKE_MODE": "response_stream"}, "not a variable"),
        ({"LWA_INVOKE_MODE": "response_stream"}, "not a variable"),
        ({"READINESS_CHECK_PATH": "/health"}, "deprecated"),
        ({"AWS_LWA_INVOKE_MODE": "response-stream"}, "does not accept"),
        ({"AWS_LWA_INVOKE_MODE": "RESPONSE_STREAM "}, "does not accept"),
        ({"AWS_LWA_INVOKE_MODE": "stream"}, "does not accept"),
        ({"AWS_LWA_PASS_THROUGH_PATH": "events"}, "does not accept"),
        ({"AWS_LWA_ERROR_STATUS_CODES": "5xx"}, "does not accept"),
        ({"AWS_LWA_ERROR_STATUS_CODES": "504-500"}, "does not accept"),
        ({"AWS_LWA_ERROR_STATUS_CODES": "500, 502"}, "does not accept"),
        ({"AWS_LWA_PORT": "80a"}, "does not accept"),
        ({"AWS_LWA_INVOKE_MODE": {"Ref": "Mode"}}, "plain string"),
    ],
)
def test_the_check_catches_what_the_adapter_would_silently_ignore(variables, problem):
    [found] = problems(variables)
    assert problem in found


def test_the_check_leaves_other_variables_alone():
    assert problems({"SERVICE_NAME": "x", "AWS_REGION": "us-east-1"}) == []
