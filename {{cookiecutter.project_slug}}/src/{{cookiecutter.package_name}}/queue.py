"""Hand a message to the SQS worker instead of answering it now."""

from __future__ import annotations

from functools import cache


@cache
def _sqs_client():
    import boto3  # only when a queue is configured

    return boto3.client("sqs")


def enqueue(request, queue_url: str) -> str:
    """Send a request from ``messages.parse`` to the queue; return the SQS message id."""
    response = _sqs_client().send_message(
        QueueUrl=queue_url,
        MessageBody=request.to_json(),
        MessageAttributes={"response_uuid": {"DataType": "String", "StringValue": request.response_uuid}},
    )
    return response["MessageId"]
