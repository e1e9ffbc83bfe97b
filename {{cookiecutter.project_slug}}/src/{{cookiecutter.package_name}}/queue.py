"""Hand a message to the SQS worker instead of answering it now."""

from __future__ import annotations


def enqueue(request, queue_url: str) -> str:
    """Send a request from ``messages.parse`` to the queue; return the SQS message id."""
    from .aws_api import call  # only when a queue is configured

    attributes = {"response_uuid": {"DataType": "String", "StringValue": request.response_uuid}}
    message = {"QueueUrl": queue_url, "MessageBody": request.to_json(), "MessageAttributes": attributes}
    return call("sqs", "AmazonSQS.SendMessage", message)["MessageId"]
