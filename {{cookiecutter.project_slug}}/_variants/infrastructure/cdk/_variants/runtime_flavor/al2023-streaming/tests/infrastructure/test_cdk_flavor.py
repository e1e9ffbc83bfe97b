"""al2023-streaming on CDK: one streaming function takes the URL, the queue and the schedule."""

import os

import pytest

from cdk_parts import PART_CONSTRUCTS
from cdk_synth import synthesized


@pytest.fixture(scope="session")
def cfn():
    return synthesized()[0].to_json()


@pytest.fixture(scope="session")
def staged():
    """The image's build context as the assembly stages it for `cdk deploy`."""
    [folder] = [p for p in synthesized()[1].iterdir() if p.name.startswith("asset.") and p.is_dir()]
    return folder


def of_type(cfn, kind):
    # The stack's optional parts have checks of their own; these are the flavor's.
    return {
        name: r["Properties"]
        for name, r in cfn["Resources"].items()
        if r["Type"] == kind and not name.startswith(PART_CONSTRUCTS)
    }


def test_one_function_behind_a_streaming_url(cfn):
    [function] = of_type(cfn, "AWS::Lambda::Function")
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    assert url["InvokeMode"] == "RESPONSE_STREAM"
    assert url["TargetFunctionArn"] == {"Fn::GetAtt": [function, "Arn"]}


def test_queue_and_schedule_reach_the_same_function(cfn):
    [function] = of_type(cfn, "AWS::Lambda::Function")
    for mapping in of_type(cfn, "AWS::Lambda::EventSourceMapping").values():
        assert mapping["FunctionName"] == {"Ref": function}
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    for rule in of_type(cfn, "AWS::Events::Rule").values():
        assert [t["Arn"] for t in rule["Targets"]] == [{"Fn::GetAtt": [function, "Arn"]}]


def test_the_image_starts_the_kits_runtime_with_the_handler(cfn, staged):
    """No image command in the template, so the Dockerfile's ENTRYPOINT and CMD hold."""
    [function] = of_type(cfn, "AWS::Lambda::Function").values()
    assert "ImageConfig" not in function
    dockerfile = (staged / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["/var/task/bootstrap"]' in dockerfile
    assert 'CMD ["{{ cookiecutter.package_name }}.kit.handler.handler"]' in dockerfile
    bootstrap = staged / "bootstrap"
    assert bootstrap.is_file(), "the build context holds the runtime the image starts"
    assert os.access(bootstrap, os.X_OK)
