"""The synthesized CDK stack, read as the CloudFormation it deploys."""

import json
from functools import cache
from pathlib import Path

from policy_assertions import CloudFormation

from cdk_synth import synthesized

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = json.loads((ROOT / "cdk.json").read_text())["context"]
STACK_NAME = CONTEXT["stack_name"]


@cache
def deployed(**context: str) -> CloudFormation:
    """The stack with these context values over cdk.json's."""
    return CloudFormation(synthesized(**context)[0].to_json(), {"AWS::Region": CONTEXT["region"]})
