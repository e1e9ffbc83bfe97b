"""What a deployment consists of, computed from ship.toml and the flavor, before any AWS call.

Pure data: names, tags, each function's settings and environment, and the role's policy.
The flavor's facts (which functions, their environment and invoke mode, which one reads the
queue and runs the schedule) come from ``flavor.py``; nothing here depends on the flavor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import botocore.session

from {{ cookiecutter.package_name }}.kit.deployment import (
    DEFAULT_MODELS,
    PROVIDERS,
    SECRET_VARIABLES,
    has_provider,
    mask,
)

from . import parts, provider, tracing
from .config import Config
from .errors import ShipError

TAG_KEY = "ship:app"
# The InvokeMode values a Function URL takes, as Lambda's API model lists them.
INVOKE_MODES = tuple(botocore.session.get_session().get_service_model("lambda").shape_for("InvokeMode").enum)
# Lambda's limit on the total size of a function's environment variables.
ENVIRONMENT_LIMIT_BYTES = 4096
SECRET_NAME = re.compile(r"KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE", re.IGNORECASE)
# Variables ship sets from a ship.toml setting, named in the error when a user variable clashes
# (the provider's and the parts' add theirs).
SETTING_OF = {"LLM_PROVIDER": "llm_provider", "AGENT_MODEL": "agent_model", tracing.VARIABLE: "tracing"}


@dataclass(frozen=True)
class FunctionSpec:
    """One function of the flavor, all built from the same image."""

    suffix: str = ""  # appended to the kit's name
    url_invoke_mode: str | None = None  # one of INVOKE_MODES; None: no Function URL
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
    def messages_table(self) -> str:
        return f"{self.name}-messages"

    @property
    def secret(self) -> str:
        return f"{self.name}/api-key"

    @property
    def agent_model(self) -> str:
        return self.config.agent_model or DEFAULT_MODELS[self.config.llm_provider]

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


def check_provider(config: Config) -> None:
    """The kit holds only the provider module it was generated with (and echo)."""
    if not has_provider(config.llm_provider):
        raise ShipError(
            f"llm_provider {config.llm_provider!r}: this kit's agent has modules for "
            f"{', '.join(PROVIDERS)} only; "
            "set llm_provider in ship.toml to one of them"
        )


def managed_environment(
    plan: Plan, queue_url: str, secret_arn: str, provider_secret_arn: str = "", messages_table: str = ""
) -> dict[str, str]:
    """Variables ship sets from ship.toml and the resources it creates (every function runs the agent)."""
    config = plan.config
    env = {"API_KEY_SOURCE": config.api_key_source}
    if config.api_key_source == "secretsmanager":
        env["API_KEY_SECRET_ID"] = secret_arn
    elif config.api_key_source == "ssm":
        env["API_KEY_PARAMETER"] = config.api_key_parameter
    if queue_url:
        env["SQS_QUEUE_URL"] = queue_url
    if messages_table:
        env["MESSAGES_TABLE"] = messages_table
    env["LLM_PROVIDER"] = config.llm_provider
    if config.llm_provider != "echo":
        env["AGENT_MODEL"] = plan.agent_model
    env.update(provider.environment(plan, provider_secret_arn))
    env.update(tracing.environment(config))
    return env


def function_environment(
    plan: Plan, spec: FunctionSpec, user: Mapping[str, str], managed: Mapping[str, str]
) -> dict[str, str]:
    """Defaults, then the user's variables, then what ship and the flavor must set.

    A user value for a variable ship sets is refused unless it is empty or the same, so a
    stale ``.env.lambda`` cannot silently point the function at the wrong queue.
    """
    # The parts' refusals first: theirs say where the value belongs without printing it.
    dropped = tuple(name for hook in parts.hooks("check_user_environment") for name in hook(plan, user))
    fixed = {**managed, **spec.environment}
    for hook in parts.hooks("fixed_environment"):
        fixed.update(hook(plan, spec))
    for key, value in user.items():
        if key in fixed and value not in ("", fixed[key]):
            where = "remove it from your variables"
            setting_of = {**SETTING_OF, **provider.SETTING_OF}
            for part in parts.modules():
                setting_of.update(getattr(part, "SETTING_OF", {}))
            if key in setting_of:
                where = f"set {setting_of[key]} in ship.toml instead"
            raise ShipError(f"{key} is set by ship deploy ({fixed[key]!r}); {where}")
    if user.get("API_KEY"):
        raise ShipError(
            "API_KEY would store the key in plain function configuration; "
            "set api_key_source = secretsmanager or ssm in ship.toml instead"
        )
    refused = ("API_KEY", *provider.check_user_environment(plan, user), *dropped)
    env = {"SERVICE_NAME": plan.function_name(spec), "LOG_LEVEL": "INFO"}
    env.update({key: value for key, value in user.items() if key not in fixed and key not in refused})
    env.update(fixed)
    size = sum(len(key) + len(value) for key, value in env.items())
    if size > ENVIRONMENT_LIMIT_BYTES:
        raise ShipError(f"the environment is {size} bytes; Lambda allows {ENVIRONMENT_LIMIT_BYTES}")
    return env


def is_secret(name: str) -> bool:
    if name in SECRET_VARIABLES:
        return SECRET_VARIABLES[name]
    return bool(SECRET_NAME.search(name))


def masked(env: Mapping[str, str]) -> dict[str, str]:
    """The environment as it may be printed: secret values masked."""
    return {key: mask(value) if is_secret(key) else value for key, value in sorted(env.items())}


def role_policy(
    plan: Plan,
    partition: str,
    account: str,
    queue_arn: str = "",
    secret_arn: str = "",
    provider_secret_arn: str = "",
    table_arn: str = "",
) -> dict:
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
    if table_arn:
        # The message store: record and read queued messages, claim and answer them.
        statements.append(
            {
                "Sid": "UseOwnMessagesTable",
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                "Resource": table_arn,
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
    statements += provider.statements(plan, partition, account, provider_secret_arn)
    statements += parts.agent_role_statements(plan, partition, account)
    statements += tracing.statements(plan.config)
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
