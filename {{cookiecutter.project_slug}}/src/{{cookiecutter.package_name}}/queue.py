"""Hand a message to the SQS worker instead of answering it now."""

from __future__ import annotations

from functools import cache

from .payloads import MessageRequest


@cache
def _sqs_client():
    import boto3  # only when a queue is configured

    return boto3.client("sqs")


def enqueue(request: MessageRequest, queue_url: str) -> str:
    """Send the request to the queue and return the SQS message id."""
    response = _sqs_client().send_message(
        QueueUrl=queue_url,
        MessageBody=request.to_json(),
        MessageAttributes={"response_uuid": {"DataType": "String", "StringValue": request.response_uuid}},
    )
    return response["MessageId"]
