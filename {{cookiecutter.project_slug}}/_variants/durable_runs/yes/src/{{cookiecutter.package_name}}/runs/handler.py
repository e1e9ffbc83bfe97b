"""The runs function: one agent run per durable execution (its image command points here)."""

from __future__ import annotations

from aws_durable_execution_sdk_python import DurableContext, durable_execution

from ..agent import model
from ..settings import get_settings
from . import loop
from .config import get_run_settings

model.preload(get_settings())


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:
    return loop.run(event, context, get_settings(), get_run_settings())
