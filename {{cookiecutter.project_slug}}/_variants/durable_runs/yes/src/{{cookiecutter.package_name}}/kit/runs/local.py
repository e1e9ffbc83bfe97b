"""Runs on a developer machine: the durable SDK's own local runner, in this process.

``make dev`` needs no AWS account: the runner checkpoints in memory, replays the handler as
Lambda would, and skips time (``context.wait`` returns at once). Approval timeouts still take
real time, so set ``RUNS_APPROVAL_TIMEOUT_S`` low to try one. Runs are lost when the server
restarts. The runner comes from requirements-dev.txt; the image never holds it.
"""

from __future__ import annotations

import json
import threading

from ..errors import NotFound
from .config import RunSettings

_lock = threading.Lock()
_runs: LocalRuns | None = None


class LocalRuns:
    def __init__(self, run_settings: RunSettings) -> None:
        from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner

        from .handler import handler

        self.runner = DurableFunctionTestRunner(handler=handler)
        self.execution_timeout_s = run_settings.execution_timeout_s
        self.names: dict[str, str] = {}  # execution name -> ARN: Lambda keeps names unique

    def start(self, name: str, payload: str) -> str:
        with _lock:
            if name not in self.names:
                self.names[name] = self.runner.run_async(
                    input=payload,
                    execution_timeout=self.execution_timeout_s,
                    function_name="runs",
                    execution_name=name,
                )
            return self.names[name]

    def describe(self, arn: str) -> tuple[dict, list[dict]]:
        from aws_durable_execution_sdk_python_testing.exceptions import (
            InvalidParameterValueException,
            ResourceNotFoundException,
        )

        executor = self.runner._executor  # the runner has no public call for one execution's details
        try:
            execution = executor.get_execution_details(arn).to_dict()
            events = self.runner.get_execution_history(arn).to_dict()["Events"]
        except (ResourceNotFoundException, InvalidParameterValueException):
            raise NotFound("no run has this id") from None
        return execution, events

    def answer(self, callback_id: str, approved: bool, reason: str) -> None:
        from aws_durable_execution_sdk_python.lambda_service import ErrorObject

        if approved:
            self.runner.send_callback_success(callback_id, json.dumps({"approved": True}).encode())
        else:
            self.runner.send_callback_failure(callback_id, ErrorObject(reason, "Denied", None, None))


def local_runs(run_settings: RunSettings) -> LocalRuns:
    """The process's runner, made on first use."""
    global _runs
    with _lock:
        if _runs is None:
            _runs = LocalRuns(run_settings)
        return _runs
