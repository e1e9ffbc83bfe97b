"""mangum-container on CDK: one buffered function takes the URL, the queue and the schedule."""

import pytest

from cdk_synth import synthesized


@pytest.fixture(scope="session")
def cfn():
    return synthesized()[0].to_json()


def of_type(cfn, kind):
{% if cookiecutter.durable_runs == "yes" %}
    # The runs function has checks of its own (test_cdk_runs.py); these are the flavor's.
    return {
        name: r["Properties"]
        for name, r in cfn["Resources"].items()
        if r["Type"] == kind and not name.startswith("RunsFunction")
    }
{% else %}
    return {name: r["Properties"] for name, r in cfn["Resources"].items() if r["Type"] == kind}
{% endif %}


def test_one_function_behind_a_buffered_url(cfn):
    [function] = of_type(cfn, "AWS::Lambda::Function")
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    assert url["InvokeMode"] == "BUFFERED"
    assert url["TargetFunctionArn"] == {"Fn::GetAtt": [function, "Arn"]}


def test_queue_and_schedule_reach_the_same_function(cfn):
    [function] = of_type(cfn, "AWS::Lambda::Function")
    for mapping in of_type(cfn, "AWS::Lambda::EventSourceMapping").values():
        assert mapping["FunctionName"] == {"Ref": function}
    for rule in of_type(cfn, "AWS::Events::Rule").values():
        assert [t["Arn"] for t in rule["Targets"]] == [{"Fn::GetAtt": [function, "Arn"]}]
