"""Apply a function's new TracingConfig, as Lambda does.

moto keeps the TracingConfig of CreateFunction but drops the one UpdateFunctionConfiguration
sends, so tracing turned on or off later would never reach GetFunction.
"""

from __future__ import annotations

from moto.awslambda.models import LambdaFunction


def fix_server() -> None:
    update = LambdaFunction.update_configuration
    if getattr(update, "applies_tracing", False):
        return

    def update_configuration(self, config_updates):
        if "TracingConfig" in config_updates:
            self.tracing_config = config_updates["TracingConfig"]
        return update(self, config_updates)

    update_configuration.applies_tracing = True
    LambdaFunction.update_configuration = update_configuration
