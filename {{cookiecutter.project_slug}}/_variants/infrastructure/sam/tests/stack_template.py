"""The SAM template, translated to CloudFormation offline (no AWS account, no Docker).

cfn-lint on the SAM template alone passes properties such as InvokeMode and
FunctionResponseTypes through unchecked; on the translated template it checks them.
"""

import copy
import json
import os
import tomllib
from functools import cache
from pathlib import Path
from unittest import mock

from cfnlint.api import ManualArgs, lint
from policy_assertions import CloudFormation
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = tomllib.loads((ROOT / "samconfig.toml").read_text())["default"]["global"]["parameters"]
REGION = DEPLOY["region"]
STACK_NAME = DEPLOY["stack_name"]
IMAGE = f"123456789012.dkr.ecr.{REGION}.amazonaws.com/{STACK_NAME}:test"
# The answers the kit was generated with: what the template was written for.
ANSWERS = json.loads((ROOT / ".cookiecutter.json").read_text())


class ManagedPolicies:
    """Offline stand-in for the IAM lookup of AWS managed policy ARNs."""

    def load(self):
        names = ["AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSXrayWriteOnlyAccess"]
        return {name: f"arn:aws:iam::aws:policy/service-role/{name}" for name in names}


def sam_template():
    return yaml_parse((ROOT / "template.yaml").read_text())


def translate(template, parameters=None):
    """CloudFormation as the SAM transform writes it for these parameter values (else the defaults)."""
    template = copy.deepcopy(template)
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["ImageUri"] = IMAGE
    values = {"AWS::Region": REGION, "AWS::Partition": "aws", "AWS::AccountId": "123456789012"}
    with mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": REGION}):
        return transform(template, {**values, **(parameters or {})}, ManagedPolicies())


def lint_errors(cloudformation):
    # Unicode as is: cfn-lint's parser rejects the surrogate-pair escapes json.dumps writes for emoji.
    matches = lint(json.dumps(cloudformation, ensure_ascii=False), config=ManualArgs(regions=[REGION]))
    return [str(m) for m in matches if m.rule.severity == "error" or m.rule.id.startswith("E")]


def parameter_defaults() -> dict[str, str]:
    """Each parameter's default, as `sam deploy` would pass it with no overrides."""
    parameters = sam_template().get("Parameters", {})
    return {name: str(p["Default"]) for name, p in parameters.items() if "Default" in p}


@cache
def deployed(**parameters: str) -> CloudFormation:
    """The translated template, with these parameters and the others at their defaults."""
    values = {"AWS::Region": REGION, "AWS::StackName": STACK_NAME, **parameter_defaults(), **parameters}
    return CloudFormation(translate(sam_template(), parameters), values)
