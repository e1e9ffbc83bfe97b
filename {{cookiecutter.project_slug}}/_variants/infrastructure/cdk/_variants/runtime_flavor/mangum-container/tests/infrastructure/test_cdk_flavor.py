"""mangum-container on CDK: one buffered function takes the URL, the queue and the schedule."""

import pytest

from cdk_parts import PART_CONSTRUCTS
from cdk_synth import synthesized


@pytest.fixture(scope="session")
def cfn():
    return synthesized()[0].to_json()


def of_type(cfn, kind):
    # The stack's optional parts have checks of their own; these are the flavor's.
    return {
        name: r["Properties"]
        for name, r in cfn["Resources"].items()
        if r["Type"] == kind and not name.startswith(PART_CONSTRUCTS)
    }


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
