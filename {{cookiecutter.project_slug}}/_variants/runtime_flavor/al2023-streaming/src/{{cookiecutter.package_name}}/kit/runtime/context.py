"""The context object a handler receives, built from the invocation's headers."""

from __future__ import annotations

import json
import os
import time

from .api import Invocation


def _json_header(value: str | None) -> object:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


class LambdaContext:
    """What Lambda's own runtimes hand a handler: ids, limits and the time left."""

    def __init__(
        self,
        aws_request_id: str,
        invoked_function_arn: str,
        deadline_ms: int,
        trace_id: str | None = None,
        client_context: object = None,
        identity: object = None,
    ) -> None:
        self.aws_request_id = aws_request_id
        self.invoked_function_arn = invoked_function_arn
        self.deadline_ms = deadline_ms
        self.trace_id = trace_id
        self.client_context = client_context
        self.identity = identity
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "")
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "0") or 0)
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")

    @classmethod
    def from_invocation(cls, invocation: Invocation) -> LambdaContext:
        headers = invocation.headers
        deadline = headers.get("lambda-runtime-deadline-ms", "")
        return cls(
            aws_request_id=invocation.request_id,
            invoked_function_arn=headers.get("lambda-runtime-invoked-function-arn", ""),
            # Without a deadline (never on Lambda), allow the longest timeout Lambda has.
            deadline_ms=int(deadline) if deadline.isdigit() else int(time.time() * 1000) + 900_000,
            trace_id=headers.get("lambda-runtime-trace-id"),
            client_context=_json_header(headers.get("lambda-runtime-client-context")),
            identity=_json_header(headers.get("lambda-runtime-cognito-identity")),
        )

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.deadline_ms - int(time.time() * 1000))

    def __repr__(self) -> str:
        return f"LambdaContext(aws_request_id={self.aws_request_id!r}, deadline_ms={self.deadline_ms})"
