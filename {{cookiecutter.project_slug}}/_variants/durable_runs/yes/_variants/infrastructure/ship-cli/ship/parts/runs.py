"""The runs function: the same image as a Lambda durable function, deployed by ship.

It has a role of its own, which may checkpoint and read its own executions and nothing else;
the functions' shared role gets one more policy, ``ship-runs``, to start runs through the
``live`` alias, read them and answer their approvals. A version is published and the alias
moved only when the function changed, so a second deploy changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from .. import provider, tracing
from ..aws import Identity, is_missing
from ..errors import ShipError
from ..plan import FunctionSpec, Plan, function_environment
from ..runs_image import COMMAND, ENVIRONMENT
from ..steps import Steps
from . import Flag, Whole, agent_role_statements

YEAR_S = 366 * 86_400
# ship.toml: how long a run may last, how long Lambda keeps a finished one, how long a tool
# waits for a person's approval, and whether /api/v1/send_message starts runs.
SETTINGS = {
    "runs_execution_timeout_s": Whole(86_400, 1, YEAR_S),
    "runs_retention_days": Whole(14, 1, 90),
    "runs_approval_timeout_s": Whole(86_400, 1, YEAR_S),
    "send_message_to_runs": Flag(False),
}
ALIAS = "live"
RUNS_POLICY = "ship-least-privilege"
STARTS_RUNS_POLICY = "ship-runs"
STARTERS_ONLY = ("RUNS_FUNCTION_ARN", "SEND_MESSAGE_TO_RUNS")


def runs_spec(plan: Plan) -> FunctionSpec:
    approval = {"RUNS_APPROVAL_TIMEOUT_S": str(plan.config.extra["runs_approval_timeout_s"])}
    return FunctionSpec(suffix="-runs", environment={**ENVIRONMENT, **approval}, command=COMMAND)


def runs_role(plan: Plan) -> str:
    return f"{plan.name}-runs"


def function_names(plan: Plan) -> list[str]:
    return [plan.function_name(runs_spec(plan))]


def environment(plan: Plan, identity: Identity) -> dict[str, str]:
    """The alias's ARN, known before it exists, for the functions that start runs."""
    to_runs = "true" if plan.config.extra["send_message_to_runs"] else "false"
    return {"RUNS_FUNCTION_ARN": function_arn(plan, identity, ALIAS), "SEND_MESSAGE_TO_RUNS": to_runs}


def function_arn(plan: Plan, identity: Identity, qualifier: str) -> str:
    name = plan.function_name(runs_spec(plan))
    region, account = plan.config.region, identity.account
    return f"arn:{identity.partition}:lambda:{region}:{account}:function:{name}:{qualifier}"


def runs_policy(plan: Plan, identity: Identity, provider_secret_arn: str) -> dict:
    """Its own logs, its own executions (any version), the model, what the other parts let the
    agent reach (the remote MCP servers' keys), and traces when tracing is on."""
    name = plan.function_name(runs_spec(plan))
    region, account = plan.config.region, identity.account
    logs = f"arn:{identity.partition}:logs:{region}:{account}:log-group:{plan.log_group(name)}:*"
    model = provider.statements(plan, identity.partition, identity.account, provider_secret_arn)
    statements = [
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": logs,
        },
        {
            "Sid": "CheckpointOwnRuns",
            "Effect": "Allow",
            "Action": ["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"],
            "Resource": function_arn(plan, identity, "*"),
        },
        *model,
        *agent_role_statements(plan, identity.partition, identity.account),
        *tracing.statements(plan.config),
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def starts_runs_policy(plan: Plan, identity: Identity) -> dict:
    """What the HTTP function needs for /v1/runs, nothing more."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "StartRuns",
                "Effect": "Allow",
                "Action": ["lambda:InvokeFunction"],
                "Resource": function_arn(plan, identity, ALIAS),
            },
            {
                "Sid": "ReadAndAnswerRuns",
                "Effect": "Allow",
                "Action": [
                    "lambda:GetDurableExecution",
                    "lambda:GetDurableExecutionHistory",
                    "lambda:SendDurableExecutionCallbackSuccess",
                    "lambda:SendDurableExecutionCallbackFailure",
                ],
                "Resource": function_arn(plan, identity, "*"),
            },
        ],
    }


def deploy(steps: Steps, image: str | None, user_env: Mapping[str, str], managed: Mapping[str, str]) -> None:
    """Make the runs function, its role and alias match the plan (``managed`` names the alias)."""
    plan, identity = steps.plan, steps.identity
    description = f"Execution role of {plan.name}'s runs function, managed by ship"
    role_arn = steps.role(runs_role(plan), description)
    provider_secret_arn = provider.secret_arn(managed)
    steps.inline_policy(runs_role(plan), RUNS_POLICY, runs_policy(plan, identity, provider_secret_arn))
    steps.inline_policy(plan.role, STARTS_RUNS_POLICY, starts_runs_policy(plan, identity))
    spec = runs_spec(plan)
    name = plan.function_name(spec)
    steps.log_group(name)
    # What tells the HTTP function where runs go is not the runs function's business.
    own = {key: value for key, value in managed.items() if key not in STARTERS_ONLY}
    env = function_environment(plan, spec, user_env, own)
    changed = _function(steps, spec, image, role_arn, env)
    _alias(steps, name, changed)


def _durable_config(steps: Steps) -> dict[str, int]:
    settings = steps.plan.config.extra
    return {
        "ExecutionTimeout": settings["runs_execution_timeout_s"],
        "RetentionPeriodInDays": settings["runs_retention_days"],
    }


def _function(steps: Steps, spec: FunctionSpec, image: str | None, role_arn: str, env: dict) -> bool:
    """Create or update the function; whether anything changed."""
    lam, plan = steps.aws.client("lambda"), steps.plan
    name, config = plan.function_name(spec), plan.config
    wanted: dict[str, Any] = {
        "Role": role_arn,
        "Timeout": config.timeout_s,
        "MemorySize": config.memory_mb,
        "Environment": {"Variables": env},
        "Description": f"{plan.name}: agent runs (durable), deployed by ship",
        "DurableConfig": _durable_config(steps),
        "TracingConfig": tracing.tracing_config(config),
    }
    if spec.command:
        wanted["ImageConfig"] = {"Command": list(spec.command)}
    try:
        current = lam.get_function(FunctionName=name)
    except ClientError as error:
        if not is_missing(error, "ResourceNotFoundException"):
            raise
        steps.create_image_function(name, image, wanted, runs_role(steps.plan))
        return True
    steps.check_owner("function", name, current.get("Tags", {}))
    now = current["Configuration"]
    if "DurableConfig" not in now:
        # Lambda cannot add a durable config to an existing function.
        raise ShipError(f"function {name} exists but is not a durable function; remove it and deploy again")
    command = now.get("ImageConfigResponse", {}).get("ImageConfig", {}).get("Command", [])
    fields = ("Role", "Timeout", "MemorySize", "Description")
    changed = [key for key in fields if now.get(key) != wanted[key]]
    if now.get("Environment", {}).get("Variables", {}) != env:
        changed.append("Environment")
    if list(command) != list(spec.command):
        wanted["ImageConfig"] = {"Command": list(spec.command)}
        changed.append("ImageConfig")
    if {k: now["DurableConfig"].get(k) for k in wanted["DurableConfig"]} != wanted["DurableConfig"]:
        changed.append("DurableConfig")
    if tracing.current_mode(now) != wanted["TracingConfig"]["Mode"]:
        changed.append("TracingConfig")
    if changed:
        updates = {key: value for key, value in wanted.items() if key in changed}
        lam.update_function_configuration(FunctionName=name, **updates)
        steps.aws.wait_for_function(name)
    code = []
    if image and current.get("Code", {}).get("ImageUri") != image:
        code.append("image")
    if now.get("Architectures", ["x86_64"]) != [config.architecture]:
        code.append("architecture")
    if code:
        image_uri = image or current["Code"]["ImageUri"]
        lam.update_function_code(FunctionName=name, ImageUri=image_uri, Architectures=[config.architecture])
        steps.aws.wait_for_function(name)
    detail = ", ".join(changed + code)
    steps.report.step("function", name, "updated" if detail else "unchanged", detail)
    return bool(detail)


def _alias(steps: Steps, name: str, changed: bool) -> None:
    """Point ``live`` at a version of what was just deployed (a durable function is invoked
    by a qualified ARN, and an execution keeps the version it started on)."""
    lam = steps.aws.client("lambda")
    try:
        alias = lam.get_alias(FunctionName=name, Name=ALIAS)
    except ClientError as error:
        if not is_missing(error, "ResourceNotFoundException"):
            raise
        version = lam.publish_version(FunctionName=name)["Version"]
        lam.create_alias(FunctionName=name, Name=ALIAS, FunctionVersion=version)
        steps.report.step("alias", f"{name}:{ALIAS}", "created", f"version {version}")
        return
    if not changed:
        steps.report.step("alias", f"{name}:{ALIAS}", "unchanged", f"version {alias['FunctionVersion']}")
        return
    version = lam.publish_version(FunctionName=name)["Version"]
    lam.update_alias(FunctionName=name, Name=ALIAS, FunctionVersion=version)
    steps.report.step("alias", f"{name}:{ALIAS}", "updated", f"version {version}")


def destroy(gone: Any) -> None:
    """Remove the runs function (its versions and alias go with it), its log group and its role."""
    plan = gone.plan
    name = plan.function_name(runs_spec(plan))
    gone.function(name)
    gone.log_group(name)
    iam, role = gone.aws.client("iam"), runs_role(plan)

    def delete() -> None:
        for policy in iam.list_role_policies(RoleName=role)["PolicyNames"]:
            iam.delete_role_policy(RoleName=role, PolicyName=policy)
        iam.delete_role(RoleName=role)

    gone.remove("iam role", role, lambda: iam.list_role_tags(RoleName=role)["Tags"], delete, "NoSuchEntity")
