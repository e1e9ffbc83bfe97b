"""What a deployment consists of, computed from ship.toml and the flavor, before any AWS call.

Pure data: names, tags, each function's settings and environment, and the role's policy.
The flavor's facts (which functions, their environment and invoke mode, which one reads the
queue and runs the schedule) come from ``flavor.py``; nothing here depends on the flavor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..settings import VARIABLES, mask
from .config import Config
from .errors import ShipError

TAG_KEY = "ship:app"
INVOKE_MODES = ("BUFFERED", "RESPONSE_STREAM")
# Lambda's limit on the total size of a function's environment variables.
ENVIRONMENT_LIMIT_BYTES = 4096
SECRET_NAME = re.compile(r"KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE", re.IGNORECASE)


@dataclass(frozen=True)
class FunctionSpec:
    """One function of the flavor, all built from the same image."""

    suffix: str = ""  # appended to the kit's name
    url_invoke_mode: str | None = None  # BUFFERED | RESPONSE_STREAM; None: no Function URL
    queue: bool = False  # the SQS event source mapping targets this function
    schedule: bool = False  # the EventBridge schedule targets this function
    environment: Mapping[str, str] = field(default_factory=dict)
    command: tuple[str, ...] = ()  # image CMD override; empty keeps the Dockerfile's


def check_flavor(functions: tuple[FunctionSpec, ...]) -> None:
    """The flavor file describes a deployable set of functions (checked by the kit's tests)."""
    if len({spec.suffix for spec in functions}) != len(functions):
        raise ShipError("flavor: two functions share a name suffix")
    for spec in functions:
        if spec.url_invoke_mode not in (None, *INVOKE_MODES):
            raise ShipError(f"flavor: url_invoke_mode must be one of {', '.join(INVOKE_MODES)}")
    for role in ("queue", "schedule"):
        if sum(getattr(spec, role) for spec in functions) != 1:
            raise ShipError(f"flavor: exactly one function must take the {role}")
    if not any(spec.url_invoke_mode for spec in functions):
        raise ShipError("flavor: one function must have a Function URL")


@dataclass(frozen=True)
class Plan:
    config: Config
    flavor: tuple[FunctionSpec, ...]

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def tags(self) -> dict[str, str]:
        return {TAG_KEY: self.name}

    # Names of everything ship creates, all derived from the kit's name.
    @property
    def repository(self) -> str:
        return self.name

    @property
    def role(self) -> str:
        return f"{self.name}-lambda"

    @property
    def role_policy(self) -> str:
        return "ship-least-privilege"

    @property
    def queue(self) -> str:
        return f"{self.name}-queue"

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.name}-dlq"

    @property
    def secret(self) -> str:
        return f"{self.name}/api-key"

    @property
    def rule(self) -> str:
        return f"{self.name}-schedule"

    def function_name(self, spec: FunctionSpec) -> str:
        return f"{self.name}{spec.suffix}"

    @staticmethod
    def log_group(function_name: str) -> str:
        return f"/aws/lambda/{function_name}"

    @property
    def functions(self) -> tuple[FunctionSpec, ...]:
        """The flavor's functions this configuration needs (a worker with nothing to do is left out)."""
        return tuple(
            spec
            for spec in self.flavor
            if spec.url_invoke_mode
            or (spec.queue and self.config.sqs_worker)
            or (spec.schedule and self.config.schedule_expression)
        )

    def all_function_names(self) -> list[str]:
        """Every function the flavor can create, needed or not (destroy removes them all)."""
        return [self.function_name(spec) for spec in self.flavor]

    def queue_function(self) -> FunctionSpec | None:
        return next((s for s in self.functions if s.queue), None) if self.config.sqs_worker else None

    def schedule_function(self) -> FunctionSpec | None:
        wanted = self.config.schedule_expression
        return next((s for s in self.functions if s.schedule), None) if wanted else None


def managed_environment(plan: Plan, queue_url: str, secret_arn: str) -> dict[str, str]:
    """Variables ship sets from the resources it creates."""
    config = plan.config
    env = {"API_KEY_SOURCE": config.api_key_source}
    if config.api_key_source == "secretsmanager":
        env["API_KEY_SECRET_ID"] = secret_arn
    elif config.api_key_source == "ssm":
        env["API_KEY_PARAMETER"] = config.api_key_parameter
    if queue_url:
        env["SQS_QUEUE_URL"] = queue_url
    return env


def function_environment(
    plan: Plan, spec: FunctionSpec, user: Mapping[str, str], managed: Mapping[str, str]
) -> dict[str, str]:
    """Defaults, then the user's variables, then what ship and the flavor must set.

    A user value for a variable ship sets is refused unless it is empty or the same, so a
    stale ``.env.lambda`` cannot silently point the function at the wrong queue.
    """
    fixed = {**managed, **spec.environment}
    for key, value in user.items():
        if key in fixed and value not in ("", fixed[key]):
            raise ShipError(f"{key} is set by ship deploy ({fixed[key]!r}); remove it from your variables")
    if user.get("API_KEY"):
        raise ShipError(
            "API_KEY would store the key in plain function configuration; "
            "set api_key_source = secretsmanager or ssm in ship.toml instead"
        )
    env = {"SERVICE_NAME": plan.name, "LOG_LEVEL": "INFO"}
    env.update({key: value for key, value in user.items() if key not in fixed and key != "API_KEY"})
    env.update(fixed)
    size = sum(len(key) + len(value) for key, value in env.items())
    if size > ENVIRONMENT_LIMIT_BYTES:
        raise ShipError(f"the environment is {size} bytes; Lambda allows {ENVIRONMENT_LIMIT_BYTES}")
    return env


def is_secret(name: str) -> bool:
    if name in VARIABLES:
        return VARIABLES[name]
    return bool(SECRET_NAME.search(name))


def masked(env: Mapping[str, str]) -> dict[str, str]:
    """The environment as it may be printed: secret values masked."""
    return {key: mask(value) if is_secret(key) else value for key, value in sorted(env.items())}


def role_policy(plan: Plan, partition: str, account: str, queue_arn: str = "", secret_arn: str = "") -> dict:
    """Least privilege: named actions on this kit's own resources only, never a wildcard action."""
    region = plan.config.region
    log_groups = [
        f"arn:{partition}:logs:{region}:{account}:log-group:{plan.log_group(plan.function_name(spec))}:*"
        for spec in plan.functions
    ]
    statements = [
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": log_groups,
        }
    ]
    if queue_arn:
        statements.append(
            {
                "Sid": "UseOwnQueue",
                "Effect": "Allow",
                "Action": [
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:ReceiveMessage",
                    "sqs:SendMessage",
                ],
                "Resource": queue_arn,
            }
        )
    if plan.config.api_key_source == "secretsmanager":
        statements.append(
            {
                "Sid": "ReadOwnApiKey",
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue"],
                "Resource": secret_arn,
            }
        )
    elif plan.config.api_key_source == "ssm":
        parameter = f"arn:{partition}:ssm:{region}:{account}:parameter{plan.config.api_key_parameter}"
        statements.append(
            {"Sid": "ReadOwnApiKey", "Effect": "Allow", "Action": ["ssm:GetParameter"], "Resource": parameter}
        )
    return {"Version": "2012-10-17", "Statement": statements}


TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
