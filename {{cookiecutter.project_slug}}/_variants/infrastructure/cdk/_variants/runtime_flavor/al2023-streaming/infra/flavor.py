"""al2023-streaming: one function streams through the URL and takes the queue and the schedule.

The image's ENTRYPOINT is the kit's own runtime (/var/task/bootstrap) and its CMD the
handler, both from the Dockerfile, so the function sets no image command. The runtime
streams HTTP replies (the URL is RESPONSE_STREAM) and answers SQS and EventBridge
invocations with one buffered JSON reply, so one function serves all three.
"""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_

from .functions import FunctionFactory, Functions


def build(factory: FunctionFactory) -> Functions:
    agent = factory.function(
        "AgentFunction", description="Agent: streamed HTTP, SQS batches and the schedule (own runtime)"
    )
    return Functions(http=agent, worker=agent, invoke_mode=lambda_.InvokeMode.RESPONSE_STREAM)
