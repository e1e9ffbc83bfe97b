"""The runs function: one agent run per durable execution (its image command points here)."""

from __future__ import annotations

# First, before the durable execution SDK loads: holds the garbage collector until cold_start.done().
from .. import cold_start

# isort: split

from aws_durable_execution_sdk_python import DurableContext, durable_execution

from ..agent import providers
from ..logs import begin_invocation, configure
from ..settings import describe_environment, get_settings
from ..telemetry import trace_context, tracing
from . import loop
from .config import get_run_settings

settings = get_settings()
# Tool progress and each run's outcome are INFO lines: the log is where a run reports first.
log = configure(settings.service_name, settings.log_level)
log.info("cold start", environment=describe_environment())
providers.preload(settings)
cold_start.done()


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:
    begin_invocation(getattr(context.lambda_context, "aws_request_id", None))
    trace_context.begin_run(trace_context.for_run(context.state.durable_execution_arn))  # one trace a run
    try:
        return loop.run(event, context, get_settings(), get_run_settings())
    finally:
        tracing.flush()
