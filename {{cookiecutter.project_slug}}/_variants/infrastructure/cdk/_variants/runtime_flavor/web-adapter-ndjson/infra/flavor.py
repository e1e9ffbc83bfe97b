"""web-adapter-ndjson: one image, two functions.

The Lambda Web Adapter applies its invoke mode to every invocation of a function, and an
SQS mapping needs a plain JSON answer, so the HTTP function streams
(``AWS_LWA_INVOKE_MODE=response_stream``) and a buffered worker takes SQS batches and
scheduled events, which the adapter POSTs to the pass-through path. A 5xx answer from
the worker fails the invocation, so a crashed batch is retried and then dead-lettered.
The events route exists only where the pass-through path is set: on the worker, which
has no URL.
"""

from __future__ import annotations

from aws_cdk import CfnOutput
from aws_cdk import aws_lambda as lambda_

from .functions import FunctionFactory, Functions

HTTP_ENVIRONMENT = {"AWS_LWA_INVOKE_MODE": "response_stream"}
WORKER_ENVIRONMENT = {
    "AWS_LWA_INVOKE_MODE": "buffered",
    "AWS_LWA_PASS_THROUGH_PATH": "/events",
    "AWS_LWA_ERROR_STATUS_CODES": "500-599",
}


def build(factory: FunctionFactory) -> Functions:
    agent = factory.function(
        "AgentFunction",
        description="Agent: streamed HTTP behind the Web Adapter",
        environment=HTTP_ENVIRONMENT,
    )
    config = factory.config
    if not (config.sqs_worker or config.schedule_expression):
        # Nothing would invoke a worker; the stack attaches no queue or schedule to `worker`.
        return Functions(http=agent, worker=agent, invoke_mode=lambda_.InvokeMode.RESPONSE_STREAM)
    worker = factory.function(
        "WorkerFunction",
        description="Agent worker: SQS batches and the schedule at the adapter's pass-through path",
        environment={"SERVICE_NAME": f"{config.service_name}-worker", **WORKER_ENVIRONMENT},
    )
    CfnOutput(factory.scope, "WorkerFunctionName", value=worker.function_name)
    return Functions(http=agent, worker=worker, invoke_mode=lambda_.InvokeMode.RESPONSE_STREAM)
