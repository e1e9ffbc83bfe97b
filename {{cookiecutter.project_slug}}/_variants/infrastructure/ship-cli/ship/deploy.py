"""ship deploy: every step in dependency order, so a re-run after a failure finishes the job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from . import parts, provider
from .aws import Aws, is_missing
from .errors import ShipError
from .image import resolve_image
from .plan import Plan, function_environment, managed_environment, masked
from .report import Report
from .steps import Steps


@dataclass
class Outcome:
    urls: dict[str, str] = field(default_factory=dict)
    queue_url: str = ""
    dead_letter_queue_url: str = ""
    messages_table: str = ""
    environments: dict[str, dict[str, str]] = field(default_factory=dict)
    provider_secret_arn: str = ""
    # What the parts put in front of a function (each with its function, source_arn and lines()).
    fronts: list[Any] = field(default_factory=list)


def deploy(aws: Aws, plan: Plan, report: Report, image: str | None, user_env: Mapping[str, str]) -> Outcome:
    identity = aws.identity()
    config = plan.config
    report.line(f"ship deploy {plan.name} to {config.region} (account {identity.account})")
    steps = Steps(aws, plan, identity, report)
    outcome = Outcome()

    repository_uri = steps.repository()
    image_uri = resolve_image(aws, plan, repository_uri, image)
    if image_uri is None:
        require_existing_functions(aws, plan)
    role_arn = steps.role()
    for spec in plan.functions:
        steps.log_group(plan.function_name(spec))
    queue_arn = table_arn = ""
    if config.sqs_worker:
        outcome.queue_url, queue_arn, outcome.dead_letter_queue_url = steps.queues()
        outcome.messages_table, table_arn = steps.messages_table()
    secret_arn = ""
    if config.api_key_source == "secretsmanager":
        secret_arn = steps.secret()
    elif config.api_key_source == "ssm":
        steps.parameter()
    outcome.provider_secret_arn = provider.secret(steps)
    steps.role_policy(queue_arn, secret_arn, outcome.provider_secret_arn, table_arn)

    managed = managed_environment(
        plan, outcome.queue_url, secret_arn, outcome.provider_secret_arn, outcome.messages_table
    )
    for part in parts.modules():
        managed.update(part.environment(plan, identity))
    arns = {}
    for spec in plan.functions:
        name = plan.function_name(spec)
        env = function_environment(plan, spec, user_env, managed)
        arns[name] = steps.function(spec, image_uri, role_arn, env)
        outcome.environments[name] = env

    if (worker := plan.queue_function()) is not None:
        steps.mapping(plan.function_name(worker), queue_arn)
    for spec in plan.functions:
        if spec.url_invoke_mode:
            outcome.urls[plan.function_name(spec)] = steps.url(plan.function_name(spec), spec.url_invoke_mode)
    scheduled = plan.schedule_function()
    rule_arn = steps.schedule(arns[plan.function_name(scheduled)]) if scheduled else ""
    for front in parts.hooks("front"):
        if (made := front(steps, arns)) is not None:
            outcome.fronts.append(made)
    for spec in plan.functions:
        name = plan.function_name(spec)
        steps.permissions(
            name,
            public_url=bool(spec.url_invoke_mode) and config.function_url_auth == "NONE",
            rule_arn=rule_arn if spec is scheduled else "",
            api_arn=next((made.source_arn for made in outcome.fronts if made.function == name), ""),
        )
    for part in parts.modules():
        part.deploy(steps, image_uri, user_env, managed)
    return outcome


def require_existing_functions(aws: Aws, plan: Plan) -> None:
    """Without an image ship can update functions but not create them: say so before changing anything."""
    lam = aws.client("lambda")
    for spec in plan.functions:
        try:
            lam.get_function(FunctionName=plan.function_name(spec))
        except ClientError as error:
            if not is_missing(error, "ResourceNotFoundException"):
                raise
            raise ShipError(
                f"no image to deploy: the repository {plan.repository} is empty; "
                "run ship build-push first, or pass --image <ECR image URI>"
            ) from None


def print_outcome(report: Report, outcome: Outcome) -> None:
    report.line(f"done: {report.summary()}")
    for name, url in outcome.urls.items():
        report.line(f"function url ({name}): {url}")
    for made in outcome.fronts:
        for line in made.lines():
            report.line(line)
    if outcome.queue_url:
        report.line(f"queue url: {outcome.queue_url}")
        report.line(f"dead-letter queue url: {outcome.dead_letter_queue_url}")
        report.line(f"messages table: {outcome.messages_table}")
    for line in provider.lines(outcome.provider_secret_arn):
        report.line(line)
    for name, env in outcome.environments.items():
        report.line(f"environment of {name} (secrets masked):")
        for key, value in masked(env).items():
            report.line(f"  {key}={value}")
