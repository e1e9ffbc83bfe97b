"""mangum-container: one function serves the URL, the queue and the schedule.

Mangum returns one buffered response, so the URL is BUFFERED; the image's handler tells
HTTP, SQS and EventBridge events apart.
"""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_

from .functions import FunctionFactory, Functions


def build(factory: FunctionFactory) -> Functions:
    agent = factory.function("AgentFunction", description="Agent: HTTP, SQS batches and the schedule")
    return Functions(http=agent, worker=agent, invoke_mode=lambda_.InvokeMode.BUFFERED)
