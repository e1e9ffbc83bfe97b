"""A stand-in for the context object Lambda hands to a handler, for local runs and tests."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field


@dataclass
class LambdaContext:
    function_name: str = "{{ cookiecutter.project_slug }}"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = {{ cookiecutter.memory_mb }}
    timeout_s: float = {{ cookiecutter.timeout_s }}
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/{{ cookiecutter.project_slug }}"
    log_stream_name: str = "local"
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{{ cookiecutter.aws_region }}:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_s - (time.monotonic() - self.started)) * 1000))
