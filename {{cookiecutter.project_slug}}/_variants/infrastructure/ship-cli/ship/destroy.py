"""ship destroy: delete what ship created for this kit, checked by tag, and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from . import parts, provider
from .aws import Aws, is_missing
from .plan import TAG_KEY, Plan
from .report import Report
from .steps import tag_dict

# The API key secret can be restored for this many days (the shortest AWS allows).
SECRET_RECOVERY_DAYS = 7


class Destroyer:
    def __init__(self, aws: Aws, plan: Plan, report: Report):
        self.aws, self.plan, self.report = aws, plan, report

    def remove(
        self, kind: str, name: str, read_tags: Callable[[], Any], delete: Callable[[], None], *missing: str
    ):
        """Delete one resource if it exists and carries our tag; say which of the three happened."""
        try:
            tags = tag_dict(read_tags())
        except ClientError as error:
            if is_missing(error, *missing):
                self.report.step(kind, name, "absent")
                return
            raise
        if tags.get(TAG_KEY) != self.plan.name:
            self.report.step(kind, name, "kept", f"no tag {TAG_KEY}={self.plan.name}: not created by ship")
            return
        delete()
        self.report.step(kind, name, "deleted")

    def schedule(self) -> None:
        events, name = self.aws.client("events"), self.plan.rule

        def delete() -> None:
            targets = [t["Id"] for t in events.list_targets_by_rule(Rule=name).get("Targets", [])]
            if targets:
                events.remove_targets(Rule=name, Ids=targets)
            events.delete_rule(Name=name)

        self.remove(
            "schedule rule",
            name,
            lambda: events.list_tags_for_resource(ResourceARN=events.describe_rule(Name=name)["Arn"])["Tags"],
            delete,
            "ResourceNotFoundException",
        )

    def function(self, name: str) -> None:
        lam = self.aws.client("lambda")

        def delete() -> None:
            # Mappings outlive their function; remove them first.
            for mapping in lam.list_event_source_mappings(FunctionName=name).get("EventSourceMappings", []):
                lam.delete_event_source_mapping(UUID=mapping["UUID"])
                self.report.step("event source mapping", mapping["UUID"], "deleted")
            lam.delete_function(FunctionName=name)  # its URL and resource policy go with it

        self.remove(
            "function",
            name,
            lambda: lam.get_function(FunctionName=name).get("Tags", {}),
            delete,
            "ResourceNotFoundException",
        )

    def log_group(self, function_name: str) -> None:
        self.named_log_group(self.plan.log_group(function_name))

    def named_log_group(self, name: str) -> None:
        logs = self.aws.client("logs")
        self.remove(
            "log group",
            name,
            lambda: logs.list_tags_log_group(logGroupName=name)["tags"],
            lambda: logs.delete_log_group(logGroupName=name),
            "ResourceNotFoundException",
        )

    def queue(self, name: str) -> None:
        sqs = self.aws.client("sqs")
        url: dict[str, str] = {}

        def read_tags() -> Any:
            url["value"] = sqs.get_queue_url(QueueName=name)["QueueUrl"]
            return sqs.list_queue_tags(QueueUrl=url["value"]).get("Tags", {})

        self.remove(
            "sqs queue",
            name,
            read_tags,
            lambda: sqs.delete_queue(QueueUrl=url["value"]),
            "AWS.SimpleQueueService.NonExistentQueue",
            "QueueDoesNotExist",
        )

    def table(self, name: str) -> None:
        ddb = self.aws.client("dynamodb")

        def read_tags() -> Any:
            arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
            return ddb.list_tags_of_resource(ResourceArn=arn).get("Tags", [])

        self.remove(
            "dynamodb table",
            name,
            read_tags,
            lambda: ddb.delete_table(TableName=name),
            "ResourceNotFoundException",
        )

    def secret(self, name: str) -> None:
        sm = self.aws.client("secretsmanager")

        def read_tags() -> Any:
            found = sm.describe_secret(SecretId=name)
            if found.get("DeletedDate"):
                raise ClientError({"Error": {"Code": "ResourceNotFoundException"}}, "DescribeSecret")
            return found.get("Tags", [])

        self.remove(
            "secret",
            name,
            read_tags,
            lambda: sm.delete_secret(SecretId=name, RecoveryWindowInDays=SECRET_RECOVERY_DAYS),
            "ResourceNotFoundException",
        )

    def role(self) -> None:
        iam, name = self.aws.client("iam"), self.plan.role

        def delete() -> None:
            for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
                iam.delete_role_policy(RoleName=name, PolicyName=policy)
            iam.delete_role(RoleName=name)

        self.remove(
            "iam role", name, lambda: iam.list_role_tags(RoleName=name)["Tags"], delete, "NoSuchEntity"
        )

    def repository(self) -> None:
        ecr, name = self.aws.client("ecr"), self.plan.repository

        def read_tags() -> Any:
            arn = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]["repositoryArn"]
            return ecr.list_tags_for_resource(resourceArn=arn)["tags"]

        self.remove(
            "ecr repository",
            name,
            read_tags,
            lambda: ecr.delete_repository(repositoryName=name, force=True),
            "RepositoryNotFoundException",
        )


def destroy(aws: Aws, plan: Plan, report: Report, keep_repository: bool = False) -> None:
    identity = aws.identity()
    report.line(f"ship destroy {plan.name} in {plan.config.region} (account {identity.account})")
    gone = Destroyer(aws, plan, report)
    gone.schedule()
    for remove_front in parts.hooks("remove_front"):
        remove_front(gone)
    for name in plan.all_function_names():
        gone.function(name)
        gone.log_group(name)
    gone.queue(plan.queue)
    gone.queue(plan.dead_letter_queue)
    gone.table(plan.messages_table)
    gone.secret(plan.secret)
    provider.destroy(gone)
    for part in parts.modules():
        part.destroy(gone)
    gone.role()
    if keep_repository:
        report.step("ecr repository", plan.repository, "kept", "--keep-images")
    else:
        gone.repository()
    report.line(f"done: {report.summary()}")
    if report.counts.get("deleted") and (
        plan.config.api_key_source == "secretsmanager" or provider.uses_secret(plan)
    ):
        report.line(f"secrets can be restored for {SECRET_RECOVERY_DAYS} days (ship deploy restores them)")
