"""How tests/entrypoint/test_routes.py reaches this function: ``handler.handler`` (Mangum) in process,
called with the Lambda event as Lambda calls it."""

from {{ cookiecutter.package_name }}.kit.handler import handler

from lambda_context import LambdaContext


def invoke(event: dict, context: LambdaContext | None = None) -> dict:
    reply = handler(event, context or LambdaContext())
    assert reply.get("isBase64Encoded", False) is False, "text replies stay text"
    return reply
