"""How tests/entrypoint/test_routes.py reaches this function: ``handler.handler`` in process, called with
the Lambda event as the runtime calls it. A streamed reply is gathered into a proxy response."""

from {{ cookiecutter.package_name }}.kit.deadline import DeadlineExceeded
from {{ cookiecutter.package_name }}.kit.handler import handler
from {{ cookiecutter.package_name }}.kit.runtime.http import HttpHead

from lambda_context import LambdaContext


def invoke(event: dict, context: LambdaContext | None = None) -> dict:
    reply = handler(event, context or LambdaContext())
    if isinstance(reply, dict):
        return reply
    head, parts = None, []
    try:
        for item in reply:
            if isinstance(item, HttpHead):
                head = item
            else:
                parts.append(item)
    except DeadlineExceeded:
        pass  # raised after the cut body so the runtime sends error trailers: test_router checks it
    return {"statusCode": head.status_code, "headers": head.headers, "body": b"".join(parts).decode()}
