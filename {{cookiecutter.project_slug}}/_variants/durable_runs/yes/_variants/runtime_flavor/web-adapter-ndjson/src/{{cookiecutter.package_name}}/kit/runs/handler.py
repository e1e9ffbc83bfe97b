"""The runs function: one agent run per durable execution.

The Web Adapter posts each invocation to the server's events route, which hands it here
(``extra_events``); the server, the image's entry point, has configured the log.
"""

from __future__ import annotations

from aws_durable_execution_sdk_python import DurableContext, durable_execution

from ..agent import providers
from ..settings import get_settings
from ..telemetry import trace_context, tracing
from . import loop
from .config import get_run_settings

providers.preload(get_settings())


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:
    trace_context.begin_run(trace_context.for_run(context.state.durable_execution_arn))  # one trace a run
    try:
        return loop.run(event, context, get_settings(), get_run_settings())
    finally:
        tracing.flush()
