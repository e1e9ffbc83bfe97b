import pytest

from {{ cookiecutter.package_name }}.kit.settings import ConfigError, Settings, describe_environment


def test_defaults_need_no_environment():
    settings = Settings.from_env({})
    assert settings.api_key_source == "none"
    assert settings.sqs_queue_url == ""
    assert settings.allowed_cidrs == ()


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({"API_KEY_SOURCE": "vault"}, "API_KEY_SOURCE must be one of"),
        ({"API_KEY_SOURCE": "secretsmanager"}, "needs API_KEY_SECRET_ID"),
        ({"API_KEY_SOURCE": "ssm"}, "needs API_KEY_PARAMETER"),
        ({"API_KEY_SOURCE": "env"}, "needs API_KEY"),
        ({"ALLOWED_CIDRS": "10.0.0.0/8, 300.1.1.1/32"}, "'300.1.1.1/32' is not an IP network"),
        ({"ECHO_DELAY_MS": "fast"}, "ECHO_DELAY_MS must be a whole number"),
        ({"MAX_REQUEST_BYTES": "0"}, "MAX_REQUEST_BYTES must be a whole number"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL must be one of"),
        ({"LLM_PROVIDER": "gpt"}, "LLM_PROVIDER must be one of"),
        ({"LLM_TIMEOUT_S": "0"}, "LLM_TIMEOUT_S must be a whole number"),
    ],
)
def test_bad_values_fail_with_one_line_naming_the_variable(environ, problem):
    with pytest.raises(ConfigError, match=problem) as raised:
        Settings.from_env(environ)
    assert "\n" not in str(raised.value)


def test_cold_start_listing_masks_secrets_and_marks_unset_variables():
    shown = describe_environment({"API_KEY": "sk-very-secret-value", "SQS_QUEUE_URL": "https://q"})
    assert shown["API_KEY"] == "sk****ue"
    assert "very-secret" not in str(shown)
    assert shown["SQS_QUEUE_URL"] == "https://q"
    assert shown["ALLOWED_CIDRS"] == "<unset>"
