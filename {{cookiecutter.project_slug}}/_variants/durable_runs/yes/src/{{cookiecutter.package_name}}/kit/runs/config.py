"""The runs' own settings, read once from the environment like ``settings.Settings``."""

from __future__ import annotations

import os
from collections import namedtuple
from collections.abc import Mapping
from functools import cache

from ..settings import ConfigError, _flag, _whole_number

# Every variable the runs read (none of them is a secret).
VARIABLES = (
    "RUNS_FUNCTION_ARN",
    "RUNS_APPROVAL_TIMEOUT_S",
    "RUNS_EXECUTION_TIMEOUT_S",
    "SEND_MESSAGE_TO_RUNS",
)

_FIELDS = {
    "function_arn": "",
    "approval_timeout_s": 86_400,
    "execution_timeout_s": 86_400,
    "send_message_to_runs": False,
}


class RunSettings(namedtuple("RunSettings", _FIELDS, defaults=_FIELDS.values())):
    """``function_arn``: the runs function, qualified by a version or alias (a durable function
    is only invoked that way); empty on a developer machine, where runs go to the in-process
    runner. ``approval_timeout_s``: how long a tool waits for a person before it gives up.
    ``execution_timeout_s``: the whole run's limit, as deployed (used by the local runner).
    ``send_message_to_runs``: ``/api/v1/send_message`` starts a run for each message instead of
    queueing it or answering it at once."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RunSettings:
        env = os.environ if environ is None else environ
        arn = env.get("RUNS_FUNCTION_ARN", "").strip()
        if arn and not _is_qualified(arn):
            raise ConfigError(
                f"RUNS_FUNCTION_ARN must be a function ARN ending in :<version> or :<alias>; got {arn!r}"
            )
        return cls(
            function_arn=arn,
            approval_timeout_s=_whole_number(env, "RUNS_APPROVAL_TIMEOUT_S", 86_400, low=1, high=31_622_400),
            execution_timeout_s=_whole_number(
                env, "RUNS_EXECUTION_TIMEOUT_S", 86_400, low=1, high=31_622_400
            ),
            send_message_to_runs=_flag(env, "SEND_MESSAGE_TO_RUNS"),
        )


def _is_qualified(arn: str) -> bool:
    parts = arn.split(":")
    return (
        len(parts) == 8
        and parts[:3] == ["arn", parts[1], "lambda"]
        and parts[5] == "function"
        and parts[7] != ""
    )


@cache
def get_run_settings() -> RunSettings:
    return RunSettings.from_env()
