import boto3
import pytest

from {{ cookiecutter.package_name }}.kit.access import (
    AccessPolicy,
    fetch_api_key,
    gateway_authenticated,
)
from {{ cookiecutter.package_name }}.kit.errors import Forbidden, Unauthorized
from {{ cookiecutter.package_name }}.kit.settings import Settings


def policy(**settings):
    return AccessPolicy(Settings(**settings))


def test_no_key_and_no_cidrs_lets_everyone_in():
    policy().check({}, None)


def test_api_key_from_x_api_key_or_bearer():
    guarded = policy(api_key_source="env", api_key="s3cret")
    guarded.check({"x-api-key": "s3cret"}, "10.0.0.1")
    guarded.check({"authorization": "Bearer s3cret"}, "10.0.0.1")


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({}, "missing API key"),
        ({"x-api-key": "wrong"}, "invalid API key"),
        ({"authorization": "Basic s3cret"}, "missing API key"),
        ({"x-api-key": "s3cret-and-more"}, "invalid API key"),
    ],
)
def test_wrong_or_missing_key_is_401(headers, problem):
    with pytest.raises(Unauthorized, match=problem):
        policy(api_key_source="env", api_key="s3cret").check(headers, "10.0.0.1")


def test_key_is_fetched_once():
    calls = []

    def fetch(settings):
        calls.append(1)
        return "k"

    guarded = AccessPolicy(Settings(api_key_source="ssm", api_key_parameter="/p"), fetch=fetch)
    for _ in range(3):
        guarded.check({"x-api-key": "k"}, None)
    assert calls == [1]


REST_CONTEXT = {"resourcePath": "/{proxy+}", "stage": "api", "identity": {"sourceIp": "192.0.2.44"}}


@pytest.mark.parametrize(
    ("context", "checked"),
    [
        ({**REST_CONTEXT, "identity": {"apiKeyId": "k1a2b3", "sourceIp": "192.0.2.44"}}, True),
        ({**REST_CONTEXT, "identity": {"userArn": "arn:aws:iam::123456789012:user/ci"}}, True),
        (REST_CONTEXT, False),
        ({**REST_CONTEXT, "identity": {"apiKeyId": None, "userArn": None}}, False),
        # A Function URL's context never comes from the gateway, whatever else it holds.
        ({"http": {"sourceIp": "192.0.2.44"}, "identity": {"apiKeyId": "k1a2b3"}}, False),
        (None, False),
        ("resourcePath", False),
    ],
)
def test_only_a_rest_api_that_checked_the_caller_counts(context, checked):
    assert gateway_authenticated(context) is checked


def test_a_caller_the_gateway_checked_is_not_asked_for_the_function_key():
    guarded = policy(api_key_source="env", api_key="s3cret")
    guarded.check({}, "10.0.0.1", gateway_checked=True)
    with pytest.raises(Unauthorized):
        guarded.check({}, "10.0.0.1")


def test_cidr_allow_list():
    settings = Settings.from_env({"ALLOWED_CIDRS": "10.0.0.0/8,2001:db8::/32"})
    AccessPolicy(settings).check({}, "10.1.2.3")
    AccessPolicy(settings).check({}, "2001:db8::1")
    with pytest.raises(Forbidden):
        AccessPolicy(settings).check({}, "192.0.2.1")
    with pytest.raises(Forbidden):
        AccessPolicy(settings).check({}, None)


def test_key_from_secrets_manager_plain_or_json(aws):
    client = boto3.client("secretsmanager")
    plain = client.create_secret(Name="plain", SecretString="abc123")["ARN"]
    wrapped = client.create_secret(Name="wrapped", SecretString='{"api_key": "xyz789"}')["ARN"]
    assert fetch_api_key(Settings(api_key_source="secretsmanager", api_key_secret_id=plain)) == "abc123"
    assert fetch_api_key(Settings(api_key_source="secretsmanager", api_key_secret_id=wrapped)) == "xyz789"


def test_key_from_ssm_secure_string(aws):
    boto3.client("ssm").put_parameter(Name="/agent/api-key", Value="from-ssm", Type="SecureString")
    settings = Settings(api_key_source="ssm", api_key_parameter="/agent/api-key")
    assert fetch_api_key(settings) == "from-ssm"
