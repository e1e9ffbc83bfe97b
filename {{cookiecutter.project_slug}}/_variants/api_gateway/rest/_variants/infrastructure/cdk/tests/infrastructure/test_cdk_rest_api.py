"""The REST API in front of the HTTP function, as CloudFormation will see it."""

import pytest
from stack_template import CONTEXT

from cdk_synth import synthesized
from infra.config import ConfigError
from infra.parts.rest_api import api_limits

TIMEOUT_S = CONTEXT["timeout_s"]


@pytest.fixture(scope="session")
def cfn():
    return synthesized()[0].to_json()


def of_type(cfn, kind):
    return {name: r["Properties"] for name, r in cfn["Resources"].items() if r["Type"] == kind}


def http_function(cfn):
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    return url["TargetFunctionArn"]["Fn::GetAtt"][0]


def streams(cfn):
    """Whether the Function URL streams; the API then streams too and may wait as long as the
    function runs (a buffered integration stops at 29 s)."""
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    return url["InvokeMode"] != "BUFFERED"


def test_root_and_every_path_reach_the_http_function(cfn):
    timeout_ms = TIMEOUT_S * 1000 if streams(cfn) else min(TIMEOUT_S * 1000, 29_000)
    methods = of_type(cfn, "AWS::ApiGateway::Method")
    assert len(methods) == 2
    [proxy] = of_type(cfn, "AWS::ApiGateway::Resource").values()
    assert proxy["PathPart"] == "{proxy+}"
    for method in methods.values():
        assert method["HttpMethod"] == "ANY"
        integration = method["Integration"]
        assert integration["Type"] == "AWS_PROXY"
        assert integration["TimeoutInMillis"] == timeout_ms
        assert {"Fn::GetAtt": [http_function(cfn), "Arn"]} in integration["Uri"]["Fn::Join"][1]


def test_integration_streams_only_where_the_url_streams(cfn):
    for method in of_type(cfn, "AWS::ApiGateway::Method").values():
        integration = method["Integration"]
        parts = integration["Uri"]["Fn::Join"][1]
        if streams(cfn):
            assert integration["ResponseTransferMode"] == "STREAM"
            assert parts[2].endswith(":lambda:path/2021-11-15/functions/")
            assert parts[-1] == "/response-streaming-invocations"
        else:
            assert integration["ResponseTransferMode"] == "BUFFERED"
            assert parts[2].endswith(":lambda:path/2015-03-31/functions/")
            assert parts[-1] == "/invocations"


def test_api_gateway_may_invoke_the_http_function_only(cfn):
    permissions = [
        p
        for p in of_type(cfn, "AWS::Lambda::Permission").values()
        if p["Principal"] == "apigateway.amazonaws.com"
    ]
    assert len(permissions) == 2, "one per method, none for the console's test button"
    for permission in permissions:
        assert permission["Action"] == "lambda:InvokeFunction"
        assert permission["FunctionName"] == {"Fn::GetAtt": [http_function(cfn), "Arn"]}


def test_api_is_regional_throttled_and_logged(cfn):
    [api] = of_type(cfn, "AWS::ApiGateway::RestApi").values()
    assert api["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    [stage] = of_type(cfn, "AWS::ApiGateway::Stage").values()
    assert stage["AccessLogSetting"]["DestinationArn"]["Fn::GetAtt"][0].startswith("ApiAccessLogs")
    [setting] = stage["MethodSettings"]
    assert setting["ThrottlingRateLimit"] == CONTEXT["api_rate_limit"]
    assert setting["ThrottlingBurstLimit"] == CONTEXT["api_burst_limit"]
    assert of_type(cfn, "AWS::ApiGateway::Account") == {}, "the account's logging role is not the stack's"


def test_outputs_name_the_invoke_url(cfn):
    assert cfn["Outputs"]["ApiUrl"]["Value"]["Fn::Join"][1][1] == {"Ref": "AgentApiDC633FAE"}


def test_bad_api_settings_stop_the_synth_with_one_line():
    for key, value in [("api_rate_limit", "0"), ("api_burst_limit", "5001"), ("api_daily_quota", "lots")]:
        with pytest.raises(ConfigError, match=f"context {key}") as error:
            api_limits({**CONTEXT, key: value}.get)
        assert "\n" not in str(error.value)


def test_callers_authenticate_as_for_the_function_url(cfn):
    """SigV4 where the URL uses AWS_IAM; else an API key, throttled and counted by a usage plan."""
    methods = of_type(cfn, "AWS::ApiGateway::Method").values()
    if CONTEXT["function_url_auth"] == "AWS_IAM":
        for method in methods:
            assert (method["AuthorizationType"], method["ApiKeyRequired"]) == ("AWS_IAM", False)
            assert "Credentials" not in method["Integration"], "not the caller's credentials"
        assert of_type(cfn, "AWS::ApiGateway::ApiKey") == {}
        return
    for method in methods:
        assert (method["AuthorizationType"], method["ApiKeyRequired"]) == ("NONE", True)
    [plan] = of_type(cfn, "AWS::ApiGateway::UsagePlan").values()
    assert plan["Throttle"] == {
        "RateLimit": CONTEXT["api_rate_limit"],
        "BurstLimit": CONTEXT["api_burst_limit"],
    }
    assert plan["Quota"] == {"Limit": CONTEXT["api_daily_quota"], "Period": "DAY"}
    [key_id] = of_type(cfn, "AWS::ApiGateway::ApiKey")
    [link] = of_type(cfn, "AWS::ApiGateway::UsagePlanKey").values()
    assert link["KeyId"] == {"Ref": key_id} and link["KeyType"] == "API_KEY"
    assert cfn["Outputs"]["ApiKeyId"]["Value"] == {"Ref": key_id}
