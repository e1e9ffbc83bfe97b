"""The REST API in front of AgentFunction, in the translated SAM template."""

import pytest
from sam_flavor import INVOKE_MODE
from stack_template import ANSWERS, deployed, sam_template

TIMEOUT_S = {{ cookiecutter.timeout_s }}
# The API streams where the Function URL does, and may then wait as long as the function
# runs; a buffered integration stops at 29 s.
API_STREAMS = INVOKE_MODE != "BUFFERED"
INTEGRATION_MS = TIMEOUT_S * 1000 if API_STREAMS else min(TIMEOUT_S * 1000, 29_000)


@pytest.fixture(scope="module")
def cfn():
    return deployed().template


def of_type(cfn, kind):
    return {name: r["Properties"] for name, r in cfn["Resources"].items() if r["Type"] == kind}


def api_integrations(cfn):
    """Each REST API path's Lambda integration, from the OpenAPI body SAM wrote."""
    paths = cfn["Resources"]["AgentApi"]["Properties"]["Body"]["paths"]
    return {
        path: item["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"]
        for path, item in paths.items()
    }


def test_api_routes_the_root_and_every_path_to_the_http_function(cfn):
    integrations = api_integrations(cfn)
    assert set(integrations) == {"/", "/{proxy+}"}
    for integration in integrations.values():
        assert integration["type"] == "aws_proxy"
        assert "${AgentFunction.Arn}" in integration["uri"]["Fn::Sub"]
        assert integration["timeoutInMillis"] == INTEGRATION_MS


def test_api_integration_streams_only_where_the_url_streams(cfn):
    for integration in api_integrations(cfn).values():
        uri = integration["uri"]["Fn::Sub"]
        if API_STREAMS:
            assert integration["responseTransferMode"] == "STREAM"
            assert uri.endswith("/2021-11-15/functions/${AgentFunction.Arn}/response-streaming-invocations")
        else:
            assert "responseTransferMode" not in integration
            assert uri.endswith("/2015-03-31/functions/${AgentFunction.Arn}/invocations")


def test_api_gateway_may_invoke_the_http_function_only(cfn):
    permissions = [
        p
        for p in of_type(cfn, "AWS::Lambda::Permission").values()
        if p["Principal"] == "apigateway.amazonaws.com"
    ]
    assert permissions
    for permission in permissions:
        assert permission["Action"] == "lambda:InvokeFunction"
        assert permission["FunctionName"] == {"Ref": "AgentFunction"}
        assert permission["SourceArn"]["Fn::Sub"][1]["__ApiId__"] == {"Ref": "AgentApi"}


def test_api_is_regional_throttled_and_logged(cfn):
    api = cfn["Resources"]["AgentApi"]["Properties"]
    assert api["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    [stage] = of_type(cfn, "AWS::ApiGateway::Stage").values()
    assert stage["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["AgentApiAccessLogs", "Arn"]}
    [setting] = stage["MethodSettings"]
    assert setting["ThrottlingRateLimit"] == {"Ref": "ApiRateLimit"}
    assert setting["ThrottlingBurstLimit"] == {"Ref": "ApiBurstLimit"}


def test_api_url_is_an_output(cfn):
    assert "${AgentApi}.execute-api" in cfn["Outputs"]["ApiUrl"]["Value"]["Fn::Sub"]


def test_callers_authenticate_as_for_the_function_url(cfn):
    """SigV4 where the URL uses AWS_IAM; else an API key, throttled and counted by a usage plan."""
    paths = cfn["Resources"]["AgentApi"]["Properties"]["Body"]["paths"].values()
    methods = [path["x-amazon-apigateway-any-method"] for path in paths]
    assert len(methods) == 2
    if ANSWERS["function_url_auth"] == "AWS_IAM":
        for method in methods:
            assert method["security"] == [{"AWS_IAM": []}]
            integration = method["x-amazon-apigateway-integration"]
            assert "credentials" not in integration, "not the caller's credentials"
        assert of_type(cfn, "AWS::ApiGateway::ApiKey") == {}
        return
    for method in methods:
        assert method["security"] == [{"api_key": []}]
    # The transform writes the parameters' values into the plan (here: their defaults).
    defaults = {name: p.get("Default") for name, p in sam_template()["Parameters"].items()}
    [plan] = of_type(cfn, "AWS::ApiGateway::UsagePlan").values()
    assert plan["Throttle"] == {
        "RateLimit": defaults["ApiRateLimit"],
        "BurstLimit": defaults["ApiBurstLimit"],
    }
    assert plan["Quota"] == {"Limit": defaults["ApiDailyQuota"], "Period": "DAY"}
    [key] = of_type(cfn, "AWS::ApiGateway::ApiKey").values()
    assert key["Enabled"] is True
    [link] = of_type(cfn, "AWS::ApiGateway::UsagePlanKey").values()
    assert link["KeyId"] == {"Ref": "AgentApiApiKey"} and link["KeyType"] == "API_KEY"
    assert cfn["Outputs"]["ApiKeyId"]["Value"] == {"Ref": "AgentApiApiKey"}
