"""Keep a function's DurableConfig, as Lambda does.

moto drops the DurableConfig ship sends with CreateFunction and UpdateFunctionConfiguration;
Lambda keeps it and reports it in GetFunction. These hooks remember what the session sent
and add it to GetFunction's answer.
"""

from __future__ import annotations

import copy

DURABLE_CONFIGS: dict[str, dict] = {}  # function name -> the DurableConfig ship sent


def keep_durable_config(params, **_):
    if "DurableConfig" in params:
        DURABLE_CONFIGS[params["FunctionName"]] = copy.deepcopy(params["DurableConfig"])


def report_durable_config(parsed, **_):
    configuration = parsed.get("Configuration") or {}
    if configuration.get("FunctionName") in DURABLE_CONFIGS:
        configuration["DurableConfig"] = copy.deepcopy(DURABLE_CONFIGS[configuration["FunctionName"]])


def fix_session(session) -> None:
    for operation in ("CreateFunction", "UpdateFunctionConfiguration"):
        session.events.register(f"provide-client-params.lambda.{operation}", keep_durable_config)
    session.events.register("after-call.lambda.GetFunction", report_durable_config)
