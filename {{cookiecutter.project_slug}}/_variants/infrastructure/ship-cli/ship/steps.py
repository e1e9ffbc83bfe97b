"""One idempotent step per AWS resource: read it, create it if missing, update only what differs.

Every step reports created / updated / unchanged. Every resource ship creates carries the tag
``ship:app=<name>``; a resource with ship's name but without that tag is someone else's, and
ship stops rather than take it over.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from botocore.exceptions import ClientError

from . import tracing
from .aws import Aws, Identity, is_missing
from .errors import ShipError
from .plan import TAG_KEY, TRUST_POLICY, FunctionSpec, Plan, role_policy
from .report import Report

# Keep the newest images; older ones are expired by ECR itself.
KEEP_IMAGES = 20
LIFECYCLE_POLICY = {
    "rules": [
        {
            "rulePriority": 1,
            "description": f"keep the {KEEP_IMAGES} newest images",
            "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": KEEP_IMAGES},
            "action": {"type": "expire"},
        }
    ]
}
BATCH_SIZE = 10
CORS_METHODS = ["GET", "POST"]
CORS_HEADERS = ["authorization", "content-type", "x-api-key"]
# Statement ids ship owns in a function's resource policy.
SID_URL_PUBLIC = "ship-url-public"
SID_URL_PUBLIC_INVOKE = "ship-url-public-invoke"
SID_SCHEDULE = "ship-schedule"
SID_REST_API = "ship-rest-api"
SHIP_SIDS = (SID_URL_PUBLIC, SID_URL_PUBLIC_INVOKE, SID_SCHEDULE, SID_REST_API)
ROLE_PROPAGATION_TRIES = 12
# The message store's items expire on this attribute (the function sets it MESSAGES_TTL_DAYS ahead).
TABLE_TTL = {"Enabled": True, "AttributeName": "expires_at"}
TARGET_ID = "ship-function"


def tag_dict(tags: Any) -> dict[str, str]:
    """Tags as a dict, whichever of the two shapes the service answers with."""
    if isinstance(tags, dict):
        return dict(tags)
    return {item.get("Key", item.get("key")): item.get("Value", item.get("value")) for item in tags or []}


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def same_json(left: Any, right: Any) -> bool:
    def normal(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    return json.dumps(normal(left), sort_keys=True) == json.dumps(normal(right), sort_keys=True)


class Steps:
    def __init__(self, aws: Aws, plan: Plan, identity: Identity, report: Report):
        self.aws, self.plan, self.identity, self.report = aws, plan, identity, report

    def check_owner(self, kind: str, name: str, tags: Any) -> None:
        if tag_dict(tags).get(TAG_KEY) != self.plan.name:
            raise ShipError(
                f"{kind} {name} exists but was not created by ship for {self.plan.name} "
                f"(no tag {TAG_KEY}={self.plan.name}); remove it or change name in ship.toml"
            )

    # ECR
    def repository(self) -> str:
        ecr, name = self.aws.client("ecr"), self.plan.repository
        try:
            repo = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
        except ClientError as error:
            if not is_missing(error, "RepositoryNotFoundException"):
                raise
            repo = ecr.create_repository(
                repositoryName=name,
                imageScanningConfiguration={"scanOnPush": True},
                tags=tag_list(self.plan.tags),
            )["repository"]
            ecr.put_lifecycle_policy(repositoryName=name, lifecyclePolicyText=json.dumps(LIFECYCLE_POLICY))
            self.report.step("ecr repository", name, "created")
            return repo["repositoryUri"]
        self.check_owner(
            "ecr repository", name, ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]
        )
        changed = []
        if not repo.get("imageScanningConfiguration", {}).get("scanOnPush"):
            ecr.put_image_scanning_configuration(
                repositoryName=name, imageScanningConfiguration={"scanOnPush": True}
            )
            changed.append("scan on push")
        try:
            current = ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"]
        except ClientError as error:
            if not is_missing(error, "LifecyclePolicyNotFoundException"):
                raise
            current = "{}"
        if not same_json(current, LIFECYCLE_POLICY):
            ecr.put_lifecycle_policy(repositoryName=name, lifecyclePolicyText=json.dumps(LIFECYCLE_POLICY))
            changed.append("lifecycle policy")
        self.report.step("ecr repository", name, "updated" if changed else "unchanged", ", ".join(changed))
        return repo["repositoryUri"]

    # IAM
    def role(self, name: str = "", description: str = "") -> str:
        """The functions' shared role, or another of the kit's roles by name; created or checked."""
        iam, name = self.aws.client("iam"), name or self.plan.role
        try:
            role = iam.get_role(RoleName=name)["Role"]
        except ClientError as error:
            if not is_missing(error, "NoSuchEntity"):
                raise
            role = iam.create_role(
                RoleName=name,
                AssumeRolePolicyDocument=json.dumps(TRUST_POLICY),
                Description=description or f"Execution role of {self.plan.name}, managed by ship",
                Tags=tag_list(self.plan.tags),
            )["Role"]
            self.report.step("iam role", name, "created")
            return role["Arn"]
        self.check_owner("iam role", name, iam.list_role_tags(RoleName=name)["Tags"])
        if same_json(role["AssumeRolePolicyDocument"], TRUST_POLICY):
            self.report.step("iam role", name, "unchanged")
        else:
            iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(TRUST_POLICY))
            self.report.step("iam role", name, "updated", "trust policy")
        return role["Arn"]

    def role_policy(
        self, queue_arn: str, secret_arn: str, provider_secret_arn: str, table_arn: str = ""
    ) -> None:
        identity = self.identity
        wanted = role_policy(
            self.plan,
            identity.partition,
            identity.account,
            queue_arn,
            secret_arn,
            provider_secret_arn,
            table_arn,
        )
        self.inline_policy(self.plan.role, self.plan.role_policy, wanted)

    def inline_policy(self, role: str, name: str, wanted: dict) -> None:
        """Put the role's inline policy ``name`` only when it differs from ``wanted``."""
        iam = self.aws.client("iam")
        try:
            current = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        except ClientError as error:
            if not is_missing(error, "NoSuchEntity"):
                raise
            current = None
        if current is not None and same_json(current, wanted):
            self.report.step("iam inline policy", f"{role}/{name}", "unchanged")
            return
        iam.put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=json.dumps(wanted))
        self.report.step("iam inline policy", f"{role}/{name}", "created" if current is None else "updated")

    # CloudWatch Logs
    def log_group(self, function_name: str) -> None:
        self.named_log_group(self.plan.log_group(function_name))

    def log_group_arn(self, name: str) -> str:
        identity = self.identity
        return f"arn:{identity.partition}:logs:{self.plan.config.region}:{identity.account}:log-group:{name}"

    def named_log_group(self, name: str) -> None:
        logs = self.aws.client("logs")
        days = self.plan.config.log_retention_days
        found = [
            group
            for group in logs.describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
            if group["logGroupName"] == name
        ]
        if not found:
            logs.create_log_group(logGroupName=name, tags=self.plan.tags)
            logs.put_retention_policy(logGroupName=name, retentionInDays=days)
            self.report.step("log group", name, "created", f"{days} days")
            return
        changed = []
        # A log group with this name holds this kit's logs (a function's, or the API's): adopt it.
        if (
            tag_dict(logs.list_tags_log_group(logGroupName=name).get("tags", {})).get(TAG_KEY)
            != self.plan.name
        ):
            logs.tag_log_group(logGroupName=name, tags=self.plan.tags)
            changed.append("adopted")
        if found[0].get("retentionInDays") != days:
            logs.put_retention_policy(logGroupName=name, retentionInDays=days)
            changed.append(f"{days} days")
        self.report.step("log group", name, "updated" if changed else "unchanged", ", ".join(changed))

    # SQS
    def queue(self, name: str, attributes: dict[str, str]) -> tuple[str, str]:
        sqs = self.aws.client("sqs")
        try:
            url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        except ClientError as error:
            if not is_missing(error, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"):
                raise
            try:
                url = sqs.create_queue(QueueName=name, Attributes=attributes, tags=self.plan.tags)["QueueUrl"]
            except ClientError as error:
                if "QueueDeletedRecently" not in str(error):
                    raise
                raise ShipError(
                    f"sqs queue {name} was deleted less than 60 s ago and AWS keeps the name that long; "
                    "run ship deploy again in a minute"
                ) from None
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
            self.report.step("sqs queue", name, "created")
            return url, arn
        self.check_owner("sqs queue", name, sqs.list_queue_tags(QueueUrl=url).get("Tags", {}))
        current = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        changed = {
            key: value
            for key, value in attributes.items()
            if not (
                same_json(current.get(key, "null"), value)
                if key == "RedrivePolicy"
                else current.get(key) == value
            )
        }
        if changed:
            sqs.set_queue_attributes(QueueUrl=url, Attributes=changed)
        self.report.step("sqs queue", name, "updated" if changed else "unchanged", ", ".join(sorted(changed)))
        return url, current["QueueArn"]

    def queues(self) -> tuple[str, str, str]:
        """The dead-letter queue, then the work queue redriving to it; returns (url, arn, dlq url)."""
        dlq_url, dlq_arn = self.queue(
            self.plan.dead_letter_queue, {"MessageRetentionPeriod": "1209600", "SqsManagedSseEnabled": "true"}
        )
        redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})
        url, arn = self.queue(
            self.plan.queue,
            {
                # At least six times the function timeout, so a slow batch is not delivered twice.
                "VisibilityTimeout": str(6 * self.plan.config.timeout_s),
                "MessageRetentionPeriod": "345600",
                "SqsManagedSseEnabled": "true",
                "RedrivePolicy": redrive,
            },
        )
        return url, arn, dlq_url

    # DynamoDB
    def messages_table(self) -> tuple[str, str]:
        """The message store: on demand, keyed by response_uuid, items expiring on expires_at;
        returns (name, arn)."""
        ddb, name = self.aws.client("dynamodb"), self.plan.messages_table
        try:
            table = ddb.describe_table(TableName=name)["Table"]
        except ClientError as error:
            if not is_missing(error, "ResourceNotFoundException"):
                raise
            table = ddb.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": "response_uuid", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "response_uuid", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
                SSESpecification={"Enabled": True},
                Tags=tag_list(self.plan.tags),
            )["TableDescription"]
            self.wait_for_table(name)
            ddb.update_time_to_live(TableName=name, TimeToLiveSpecification=TABLE_TTL)
            self.report.step("dynamodb table", name, "created", "on demand, TTL on expires_at")
            return name, table["TableArn"]
        tags = ddb.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags", [])
        self.check_owner("dynamodb table", name, tags)
        changed = []
        if table.get("BillingModeSummary", {}).get("BillingMode") != "PAY_PER_REQUEST":
            ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
            self.wait_for_table(name)
            changed.append("on demand")
        ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        on = ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
        if not on or ttl.get("AttributeName") != TABLE_TTL["AttributeName"]:
            ddb.update_time_to_live(TableName=name, TimeToLiveSpecification=TABLE_TTL)
            changed.append("TTL on expires_at")
        self.report.step("dynamodb table", name, "updated" if changed else "unchanged", ", ".join(changed))
        return name, table["TableArn"]

    def wait_for_table(self, name: str, timeout_s: float = 300) -> None:
        ddb, deadline = self.aws.client("dynamodb"), time.monotonic() + timeout_s
        while ddb.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
            if time.monotonic() > deadline:
                raise ShipError(f"dynamodb table {name} is not active after {timeout_s:.0f} s")
            time.sleep(self.aws.poll_seconds)

    # Secrets
    def secret(self) -> str:
        """The generated API key secret: created once, never rewritten, restored if pending deletion."""
        return self.owned_secret(
            self.plan.secret,
            f"API key callers send in x-api-key to {self.plan.name}",
            secrets.token_urlsafe(30),
            "generated key",
        )

    def owned_secret(self, name: str, description: str, first_value: str, detail: str) -> str:
        sm = self.aws.client("secretsmanager")
        try:
            found = sm.describe_secret(SecretId=name)
        except ClientError as error:
            if not is_missing(error, "ResourceNotFoundException"):
                raise
            arn = sm.create_secret(
                Name=name, Description=description, SecretString=first_value, Tags=tag_list(self.plan.tags)
            )["ARN"]
            self.report.step("secret", name, "created", detail)
            return arn
        self.check_owner("secret", name, found.get("Tags", []))
        if found.get("DeletedDate"):
            sm.restore_secret(SecretId=name)
            self.report.step("secret", name, "restored", "it was scheduled for deletion")
        else:
            self.report.step("secret", name, "unchanged")
        return found["ARN"]

    def parameter(self) -> None:
        """The SSM parameter is the user's: ship checks it exists and never changes it."""
        name = self.plan.config.api_key_parameter
        try:
            found = self.aws.client("ssm").get_parameter(Name=name)["Parameter"]
        except ClientError as error:
            if not is_missing(error, "ParameterNotFound"):
                raise
            raise ShipError(
                f"SSM parameter {name} does not exist; create it first: aws ssm put-parameter "
                f'--name {name} --type SecureString --value "$(openssl rand -hex 24)"'
            ) from None
        if found["Type"] != "SecureString":
            raise ShipError(f"SSM parameter {name} is a {found['Type']}; the API key must be a SecureString")
        self.report.step("ssm parameter", name, "exists", "yours; never changed by ship")

    # Lambda
    def function(self, spec: FunctionSpec, image: str | None, role_arn: str, env: dict[str, str]) -> str:
        lam, name, config = self.aws.client("lambda"), self.plan.function_name(spec), self.plan.config
        wanted: dict[str, Any] = {
            "Role": role_arn,
            "Timeout": config.timeout_s,
            "MemorySize": config.memory_mb,
            "Environment": {"Variables": env},
            "Description": f"{self.plan.name}: deployed by ship",
            "TracingConfig": tracing.tracing_config(config),
        }
        try:
            current = lam.get_function(FunctionName=name)
        except ClientError as error:
            if not is_missing(error, "ResourceNotFoundException"):
                raise
            return self._create_function(name, spec, image, wanted)
        self.check_owner("function", name, current.get("Tags", {}))
        now = current["Configuration"]
        command = now.get("ImageConfigResponse", {}).get("ImageConfig", {}).get("Command", [])
        changed = [
            key for key in ("Role", "Timeout", "MemorySize", "Description") if now.get(key) != wanted[key]
        ]
        if now.get("Environment", {}).get("Variables", {}) != env:
            changed.append("Environment")
        if tracing.current_mode(now) != wanted["TracingConfig"]["Mode"]:
            changed.append("TracingConfig")
        if list(command) != list(spec.command):
            wanted["ImageConfig"] = {"Command": list(spec.command)}
            changed.append("ImageConfig")
        if changed:
            lam.update_function_configuration(
                FunctionName=name, **{k: v for k, v in wanted.items() if k in changed}
            )
            self.aws.wait_for_function(name)
        code = []
        if image and current.get("Code", {}).get("ImageUri") != image:
            code.append("image")
        if now.get("Architectures", ["x86_64"]) != [config.architecture]:
            code.append("architecture")
        if code:
            image_uri = image or current["Code"]["ImageUri"]
            lam.update_function_code(
                FunctionName=name, ImageUri=image_uri, Architectures=[config.architecture]
            )
            self.aws.wait_for_function(name)
        detail = ", ".join(changed + code)
        self.report.step("function", name, "updated" if detail else "unchanged", detail)
        return now["FunctionArn"]

    def _create_function(self, name: str, spec: FunctionSpec, image: str | None, wanted: dict) -> str:
        if spec.command:
            wanted["ImageConfig"] = {"Command": list(spec.command)}
        return self.create_image_function(name, image, wanted, self.plan.role)

    def create_image_function(self, name: str, image: str | None, wanted: dict, role: str) -> str:
        """Create an image function, waiting out a new ``role`` that IAM has not spread yet."""
        if not image:
            raise ShipError(
                f"no image to deploy for {name}: run `ship build-push` first, or pass --image <ECR image URI>"
            )
        lam = self.aws.client("lambda")
        for attempt in range(ROLE_PROPAGATION_TRIES):
            try:
                created = lam.create_function(
                    FunctionName=name,
                    PackageType="Image",
                    Code={"ImageUri": image},
                    Architectures=[self.plan.config.architecture],
                    Tags=self.plan.tags,
                    **wanted,
                )
                break
            except ClientError as error:
                # A role created seconds ago is not yet assumable by Lambda (IAM is eventually consistent).
                if "cannot be assumed" not in str(error) or attempt == ROLE_PROPAGATION_TRIES - 1:
                    raise
                self.report.line(f"  (waiting for the new role {role} to reach Lambda)")
                time.sleep(5)
        self.aws.wait_for_function(name)
        self.report.step("function", name, "created", image.rsplit("/", 1)[-1])
        return created["FunctionArn"]

    def mapping(self, function_name: str, queue_arn: str) -> None:
        lam = self.aws.client("lambda")
        wanted = {
            "BatchSize": BATCH_SIZE,
            "MaximumBatchingWindowInSeconds": 0,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
        }
        found = lam.list_event_source_mappings(EventSourceArn=queue_arn, FunctionName=function_name)
        mappings = found.get("EventSourceMappings", [])
        label = f"{self.plan.queue} -> {function_name}"
        if not mappings:
            lam.create_event_source_mapping(
                EventSourceArn=queue_arn, FunctionName=function_name, Enabled=True, **wanted
            )
            self.report.step("event source mapping", label, "created")
            return
        for extra in mappings[1:]:
            lam.delete_event_source_mapping(UUID=extra["UUID"])
            self.report.step("event source mapping", label, "deleted", "duplicate")
        current = mappings[0]
        changed = [
            key
            for key, value in wanted.items()
            if current.get(key, 0 if key.startswith("Max") else None) != value
        ]
        if current.get("State") in ("Disabled", "Disabling"):
            changed.append("Enabled")
        if changed:
            lam.update_event_source_mapping(UUID=current["UUID"], Enabled=True, **wanted)
        self.report.step(
            "event source mapping", label, "updated" if changed else "unchanged", ", ".join(changed)
        )

    def url(self, function_name: str, invoke_mode: str) -> str:
        lam, config = self.aws.client("lambda"), self.plan.config
        wanted: dict[str, Any] = {"AuthType": config.function_url_auth, "InvokeMode": invoke_mode}
        cors = {}
        if config.cors_allow_origins:
            cors = {
                "AllowOrigins": list(config.cors_allow_origins),
                "AllowMethods": CORS_METHODS,
                "AllowHeaders": CORS_HEADERS,
                "MaxAge": 300,
            }
        try:
            current = lam.get_function_url_config(FunctionName=function_name)
        except ClientError as error:
            if not is_missing(error, "ResourceNotFoundException"):
                raise
            if cors:
                wanted["Cors"] = cors
            url = lam.create_function_url_config(FunctionName=function_name, **wanted)["FunctionUrl"]
            self.report.step(
                "function url", function_name, "created", f"{config.function_url_auth}, {invoke_mode}"
            )
            return url
        changed = [key for key, value in wanted.items() if current.get(key) != value]
        if not same_json(current.get("Cors") or {}, cors):
            changed.append("Cors")
        if changed:
            lam.update_function_url_config(FunctionName=function_name, Cors=cors, **wanted)
        self.report.step(
            "function url", function_name, "updated" if changed else "unchanged", ", ".join(changed)
        )
        return current["FunctionUrl"]

    def permissions(self, function_name: str, public_url: bool, rule_arn: str, api_arn: str = "") -> None:
        """Resource-policy statements: a public URL needs BOTH InvokeFunctionUrl and InvokeFunction
        (the latter only via the URL) since October 2025; the schedule and the REST API need
        InvokeFunction, from their own ARN only."""
        lam = self.aws.client("lambda")
        wanted: dict[str, dict[str, Any]] = {}
        if public_url:
            wanted[SID_URL_PUBLIC] = {
                "Action": "lambda:InvokeFunctionUrl",
                "Principal": "*",
                "FunctionUrlAuthType": "NONE",
            }
            wanted[SID_URL_PUBLIC_INVOKE] = {
                "Action": "lambda:InvokeFunction",
                "Principal": "*",
                "InvokedViaFunctionUrl": True,
            }
        if api_arn:
            wanted[SID_REST_API] = {
                "Action": "lambda:InvokeFunction",
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": api_arn,
            }
        if rule_arn:
            wanted[SID_SCHEDULE] = {
                "Action": "lambda:InvokeFunction",
                "Principal": "events.amazonaws.com",
                "SourceArn": rule_arn,
            }
        try:
            policy = json.loads(lam.get_policy(FunctionName=function_name)["Policy"])
            current = {statement.get("Sid"): statement for statement in policy.get("Statement", [])}
        except ClientError as error:
            if not is_missing(error, "ResourceNotFoundException"):
                raise
            current = {}
        for sid in SHIP_SIDS:
            label = f"{function_name}:{sid}"
            statement = current.get(sid)
            if sid not in wanted:
                if statement:
                    lam.remove_permission(FunctionName=function_name, StatementId=sid)
                    self.report.step("permission", label, "deleted")
                continue
            params = wanted[sid]
            if (
                statement
                and statement.get("Action") == params["Action"]
                and params.get("SourceArn", "") in (json.dumps(statement))
            ):
                self.report.step("permission", label, "unchanged")
                continue
            if statement:
                lam.remove_permission(FunctionName=function_name, StatementId=sid)
            lam.add_permission(FunctionName=function_name, StatementId=sid, **params)
            self.report.step("permission", label, "updated" if statement else "created")

    # EventBridge
    def schedule(self, function_arn: str) -> str:
        events, name = self.aws.client("events"), self.plan.rule
        expression = self.plan.config.schedule_expression
        settings = {
            "Name": name,
            "ScheduleExpression": expression,
            "State": "ENABLED",
            "Description": f"Runs the scheduled job of {self.plan.name}",
        }
        try:
            rule = events.describe_rule(Name=name)
        except ClientError as error:
            if not is_missing(error, "ResourceNotFoundException"):
                raise
            arn = events.put_rule(**settings, Tags=tag_list(self.plan.tags))["RuleArn"]
            self.report.step("schedule rule", name, "created", expression)
        else:
            arn = rule["Arn"]
            self.check_owner("schedule rule", name, events.list_tags_for_resource(ResourceARN=arn)["Tags"])
            changed = [
                key
                for key in ("ScheduleExpression", "State", "Description")
                if rule.get(key) != settings[key]
            ]
            if changed:
                events.put_rule(**settings)
            self.report.step("schedule rule", name, "updated" if changed else "unchanged", ", ".join(changed))
        targets = events.list_targets_by_rule(Rule=name).get("Targets", [])
        ours = [target for target in targets if target["Id"] == TARGET_ID]
        if ours and ours[0]["Arn"] == function_arn:
            self.report.step("schedule target", f"{name} -> {function_arn.rsplit(':', 1)[-1]}", "unchanged")
        else:
            events.put_targets(Rule=name, Targets=[{"Id": TARGET_ID, "Arn": function_arn}])
            action = "updated" if ours else "created"
            self.report.step("schedule target", f"{name} -> {function_arn.rsplit(':', 1)[-1]}", action)
        return arn
