"""Routes this kit adds to the standard ones: long-running runs (README, "Long-running runs").

A route here is free of any web framework, like ``service``: every flavor's HTTP edge checks
access, reads the JSON body of a POST and answers ``Route.status`` with the dict that
``handle(body, path, headers)`` returns (errors as ``ApiError``). One with the method and path
of a standard route takes its place: with ``SEND_MESSAGE_TO_RUNS=true``,
``/api/v1/send_message`` starts a run for each message.
"""

from __future__ import annotations

from collections import namedtuple

from .runs import api as runs_api
from .runs.config import get_run_settings
from .settings import get_settings

Route = namedtuple("Route", ["method", "path", "status", "handle"])


def start_run(body: dict | None, path: str, headers: dict[str, str]) -> dict:
    return runs_api.start(body, headers, get_settings(), get_run_settings())


def run_status(body: dict | None, path: str, headers: dict[str, str]) -> dict:
    return runs_api.status(runs_api.run_id_of(path), get_run_settings())


def approve_run(body: dict | None, path: str, headers: dict[str, str]) -> dict:
    return runs_api.decide(runs_api.run_id_of(path), body, get_run_settings())


def send_message_to_run(body: dict | None, path: str, headers: dict[str, str]) -> dict:
    from . import messages  # imported on this route only: it may load a heavier parser

    return runs_api.start_message(messages.parse(body), get_run_settings())


RUNS = (
    Route("POST", "/v1/runs", 202, start_run),
    Route("GET", "/v1/runs/{id}", 200, run_status),
    Route("POST", "/v1/runs/{id}/approval", 200, approve_run),
)
SEND_MESSAGE = Route("POST", "/api/v1/send_message", 202, send_message_to_run)


def routes() -> tuple[Route, ...]:
    if get_run_settings().send_message_to_runs:
        return (*RUNS, SEND_MESSAGE)
    return RUNS


def path_key(path: str) -> str:
    """The route path that serves ``path`` (``/v1/runs/{id}`` serves every run's)."""
    return runs_api.route_key(path) or path
