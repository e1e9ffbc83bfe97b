"""The context object a handler receives, built from the invocation's headers."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

from .api import Invocation


def _json_header(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


@dataclass
class LambdaContext:
    aws_request_id: str
    invoked_function_arn: str
    deadline_ms: int
    function_name: str = field(default_factory=lambda: os.environ.get("AWS_LAMBDA_FUNCTION_NAME", ""))
    function_version: str = field(default_factory=lambda: os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", ""))
    memory_limit_in_mb: int = field(
        default_factory=lambda: int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "0") or 0)
    )
    log_group_name: str = field(default_factory=lambda: os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", ""))
    log_stream_name: str = field(default_factory=lambda: os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", ""))
    trace_id: str | None = None
    client_context: Any = None
    identity: Any = None

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
