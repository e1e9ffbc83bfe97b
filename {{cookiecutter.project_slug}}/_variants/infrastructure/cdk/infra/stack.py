"""The agent's stack.

`infra/flavor.py` decides which functions exist and how the Function URL answers
(buffered or streamed). This module gives every function the same image, size, role,
log group, environment and model provider settings (with the grants the provider needs),
and wires the URL, the queue, the schedule, the API key and the outputs around those
functions; each module in `infra/parts/` then adds its own part.
"""

from __future__ import annotations

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from . import flavor, model, parts
from .checks import acknowledge
from .config import StackConfig
from .functions import FunctionFactory, Functions


class AgentStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: StackConfig, **kwargs) -> None:
        super().__init__(scope, construct_id, description=config.description or None, **kwargs)
        # Every function runs the agent, so every one gets the model settings and grants; the
        # API key, the caller networks and the queue URL matter only where the URL is.
        environment = {"SERVICE_NAME": config.service_name, "LOG_LEVEL": "INFO"}
        environment |= {"LLM_PROVIDER": config.llm_provider, **config.reply_environment}
        model_access = model.access(self, config.model, environment)
        http_environment = {"ALLOWED_CIDRS": config.allowed_cidrs, "API_KEY_SOURCE": config.api_key_source}
        http_environment["ALLOWED_ORIGINS"] = ",".join(config.allowed_origins)
        key_access = self._api_key(config, http_environment)
        queue = self._queue(config, http_environment) if config.sqs_worker else None

        functions = flavor.build(FunctionFactory(self, config, environment))

        for name, value in http_environment.items():
            functions.http.add_environment(name, value)
        for function in dict.fromkeys((functions.http, functions.worker)):
            for statement in model_access:
                function.add_to_role_policy(statement)
        url = functions.http.add_function_url(
            auth_type=lambda_.FunctionUrlAuthType[config.function_url_auth],
            invoke_mode=functions.invoke_mode,
            cors=url_cors(config.allowed_origins),
        )
        if key_access is not None:
            functions.http.add_to_role_policy(key_access)
        if queue is not None:
            # Written out: grant_send_messages would also allow GetQueueAttributes and GetQueueUrl.
            functions.http.add_to_role_policy(
                iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[queue.queue_arn])
            )
            functions.worker.add_event_source(
                event_sources.SqsEventSource(queue, batch_size=10, report_batch_item_failures=True)
            )
            self._messages_table(functions)
        if config.schedule_expression:
            events.Rule(
                self,
                "AgentSchedule",
                description="Runs the scheduled job.",
                schedule=events.Schedule.expression(config.schedule_expression),
                targets=[targets.LambdaFunction(functions.worker)],
            )

        for part in parts.every():
            part.add(FunctionFactory(self, config, environment), functions, model_access)

        CfnOutput(self, "FunctionUrl", value=url.url, description="Function URL of the agent.")
        CfnOutput(self, "FunctionName", value=functions.http.function_name)
        if queue is not None:
            CfnOutput(self, "QueueUrl", value=queue.queue_url, description="Queue the SQS worker reads.")

    def _api_key(self, config: StackConfig, environment: dict[str, str]) -> iam.PolicyStatement | None:
        """Create or point at the API key; return the one statement that may read it."""
        if config.api_key_source == "secretsmanager":
            secret = secretsmanager.Secret(
                self,
                "ApiKeySecret",
                description=f"API key callers send in x-api-key to {self.stack_name}.",
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    password_length=40, exclude_punctuation=True
                ),
            )
            acknowledge(
                secret,
                "AwsSolutions-SMG4",
                "The API key is rotated by hand (put-secret-value); functions read it once per cold start.",
            )
            environment["API_KEY_SECRET_ID"] = secret.secret_arn
            CfnOutput(
                self,
                "ApiKeySecretArn",
                value=secret.secret_arn,
                description="Read the key with: aws secretsmanager get-secret-value --secret-id <this>",
            )
            # Written out: secret.grant_read would also allow DescribeSecret.
            return iam.PolicyStatement(
                actions=["secretsmanager:GetSecretValue"], resources=[secret.secret_arn]
            )
        if config.api_key_source == "ssm":
            environment["API_KEY_PARAMETER"] = config.api_key_parameter
            parameter_arn = self.format_arn(
                service="ssm", resource="parameter", resource_name=config.api_key_parameter.lstrip("/")
            )
            return iam.PolicyStatement(actions=["ssm:GetParameter"], resources=[parameter_arn])
        return None

    def _messages_table(self, functions: Functions) -> dynamodb.Table:
        """The message store: one item per queued message, keyed by its response_uuid.

        The URL function records queued messages and reads them (GetItem, PutItem); the
        worker claims and answers them (GetItem, UpdateItem). Written out: grant_read_write_data
        would also allow queries, scans, batch writes and deletes.
        """
        table = dynamodb.Table(
            self,
            "MessagesTable",
            partition_key=dynamodb.Attribute(name="response_uuid", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            time_to_live_attribute="expires_at",
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            removal_policy=RemovalPolicy.DESTROY,
        )
        acknowledge(
            table,
            "AwsSolutions-DDB3",
            "Queued messages live MESSAGES_TTL_DAYS (default 7); point-in-time recovery would outlive them.",
        )
        actions = {functions.http: ["dynamodb:GetItem", "dynamodb:PutItem"]}
        worker = actions.get(functions.worker, ["dynamodb:GetItem"])
        actions[functions.worker] = [*worker, "dynamodb:UpdateItem"]
        for function, allowed in actions.items():
            function.add_environment("MESSAGES_TABLE", table.table_name)
            function.add_to_role_policy(iam.PolicyStatement(actions=allowed, resources=[table.table_arn]))
        CfnOutput(
            self,
            "MessagesTableName",
            value=table.table_name,
            description="DynamoDB table that keeps queued messages and their replies.",
        )
        return table

    def _queue(self, config: StackConfig, environment: dict[str, str]) -> sqs.Queue:
        dead_letters = sqs.Queue(
            self,
            "AgentDeadLetterQueue",
            retention_period=Duration.days(14),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        queue = sqs.Queue(
            self,
            "AgentQueue",
            visibility_timeout=Duration.seconds(config.queue_visibility_s),
            retention_period=Duration.days(4),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            dead_letter_queue=sqs.DeadLetterQueue(queue=dead_letters, max_receive_count=5),
        )
        environment["SQS_QUEUE_URL"] = queue.queue_url
        CfnOutput(self, "DeadLetterQueueUrl", value=dead_letters.queue_url)
        return queue


def url_cors(origins: tuple[str, ...]) -> lambda_.FunctionUrlCorsOptions | None:
    """The URL answers CORS itself, preflights included; behind it the app adds no headers."""
    if not origins:
        return None
    return lambda_.FunctionUrlCorsOptions(
        allowed_origins=list(origins),
        allowed_methods=[lambda_.HttpMethod.GET, lambda_.HttpMethod.POST],
        allowed_headers=["authorization", "content-type", "x-api-key"],
        max_age=Duration.seconds(600),
    )
