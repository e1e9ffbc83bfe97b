"""``/v1/runs``: start a run, read its status, answer its approval; free of any web framework.

A run is one durable execution of the runs function. Its id is the execution's ARN in
URL-safe base64, so reading it needs no table of our own. On Lambda the calls go to the
Lambda API (``lambda_api``); on a developer machine, with ``RUNS_FUNCTION_ARN`` unset, to the
SDK's in-process runner (``local``).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re

from ..errors import ApiError, BadRequest, NotFound
from ..payloads import parse_chat
from ..settings import Settings
from .config import RunSettings

IDEMPOTENCY_HEADER = "idempotency-key"
_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII, as a header carries it
RUN_PATH = re.compile(r"/v1/runs/([A-Za-z0-9_-]{1,1400})(/approval)?")
# How GET /v1/runs/{id} reads the execution history: the events that matter to a caller.
_CALLBACK_DONE = ("CallbackSucceeded", "CallbackFailed", "CallbackTimedOut")


class Conflict(ApiError):
    status = 409
    kind = "conflict_error"


class Unavailable(ApiError):
    status = 503
    kind = "server_error"


def route_key(path: str) -> str | None:
    """The route table's key for a run's path: ``/v1/runs/{id}`` or ``/v1/runs/{id}/approval``."""
    match = RUN_PATH.fullmatch(path)
    if match is None:
        return None
    return "/v1/runs/{id}/approval" if match.group(2) else "/v1/runs/{id}"


def run_id_of(path: str) -> str:
    match = RUN_PATH.fullmatch(path)
    if match is None:
        raise NotFound("no run has this id")
    return match.group(1)


def start(body: dict, headers: dict[str, str], settings: Settings, run_settings: RunSettings) -> dict:
    """Start a run of the agent on ``body`` (the ``POST /invoke`` shape with ``messages``).

    The same ``Idempotency-Key`` always names the same execution, so a retried request gets
    the run it already started rather than a second one.
    """
    from . import reply  # imported on this route only: it may load a heavier client

    parse_chat(body, settings.agent_model)  # a bad body is refused now, not in the run
    reply.check(body)
    key = headers.get(IDEMPOTENCY_HEADER, "")
    if key and not _KEY.fullmatch(key):
        raise BadRequest("Idempotency-Key must be 1 to 255 printable ASCII characters")
    if key:
        name = execution_name(key)
    else:
        import uuid  # only here: this module loads with every flavor's routes

        name = f"run-{uuid.uuid4().hex}"
    run_id = encode_id(backend(run_settings).start(name, json.dumps(body, separators=(",", ":"))))
    return {"id": run_id, "status": "RUNNING", "url": f"/v1/runs/{run_id}"}


def start_message(request, run_settings: RunSettings) -> dict:
    """Start a run that answers a ``send_message`` message (``request`` from ``messages.parse``).

    The run is named after the message's ``response_uuid``, so a retried send gets the run it
    already started rather than a second one.
    """
    from . import reply

    body = reply.run_input(request)
    name = execution_name(f"send_message {request.response_uuid}")
    run_id = encode_id(backend(run_settings).start(name, json.dumps(body, separators=(",", ":"))))
    url = f"/v1/runs/{run_id}"
    return {"status": "started", "response_uuid": request.response_uuid, "id": run_id, "url": url}


def execution_name(key: str) -> str:
    """A valid ``DurableExecutionName`` (``[A-Za-z0-9_-]{1,64}``) for any idempotency key."""
    import hashlib

    return "run-" + hashlib.sha256(key.encode()).hexdigest()[:48]


def status(run_id: str, run_settings: RunSettings) -> dict:
    """The run's status, the approval it waits for (if any) and its result (once it ended)."""
    arn = decode_id(run_id)
    execution, events = backend(run_settings).describe(arn)
    state: dict = {"id": run_id, "status": execution["Status"], "pending_approval": pending_approval(events)}
    if execution.get("Result") is not None:
        state["result"] = _json_or_text(execution["Result"])
    if execution.get("Error"):
        state["error"] = execution["Error"].get("ErrorMessage") or execution["Error"].get("ErrorType")
    return state


def decide(run_id: str, body: dict, run_settings: RunSettings) -> dict:
    """Answer the approval the run waits for: ``{"approved": true}`` or ``{"approved": false,
    "reason": "..."}`` (the reason goes to the model)."""
    approved = body.get("approved")
    if not isinstance(approved, bool):
        raise BadRequest("'approved' must be true or false")
    reason = body.get("reason", "")
    if not isinstance(reason, str) or len(reason) > 1000:
        raise BadRequest("'reason' must be a string of at most 1000 characters")
    arn = decode_id(run_id)
    runs = backend(run_settings)
    execution, events = runs.describe(arn)
    pending = pending_approval(events)
    if execution["Status"] != "RUNNING" or pending is None:
        raise Conflict("this run is not waiting for an approval")
    expected = body.get("callback_id")
    if expected is not None and expected != pending["callback_id"]:
        raise Conflict("that approval was already answered; the run now waits for another one")
    runs.answer(pending["callback_id"], approved, reason or "no reason given")
    return {"id": run_id, "tool": pending["tool"], "call_id": pending["call_id"], "approved": approved}


def pending_approval(events: list[dict]) -> dict | None:
    """The callback the run waits for, from its history: the newest one not yet answered."""
    names = {e.get("Id"): e.get("Name") or "" for e in events if e.get("EventType") == "ContextStarted"}
    done = {e.get("Id") for e in events if e.get("EventType") in _CALLBACK_DONE}
    waiting = None
    for event in events:
        if event.get("EventType") == "CallbackStarted" and event.get("Id") not in done:
            waiting = event
    if waiting is None:
        return None
    label = names.get(waiting.get("ParentId"), "").removeprefix("approval ")
    tool, _, call_id = label.partition("#")
    callback_id = (waiting.get("CallbackStartedDetails") or {}).get("CallbackId")
    return {"callback_id": callback_id, "tool": tool, "call_id": call_id}


def encode_id(arn: str) -> str:
    return base64.urlsafe_b64encode(arn.encode()).decode().rstrip("=")


def decode_id(run_id: str) -> str:
    try:
        arn = base64.urlsafe_b64decode(run_id + "=" * (-len(run_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        arn = ""
    if not arn or not arn.isprintable():
        raise NotFound("no run has this id")
    return arn


def _json_or_text(value: str) -> object:
    try:
        return json.loads(value)
    except ValueError:
        return value


def backend(run_settings: RunSettings):
    """Where runs go: the deployed runs function, or the in-process runner on a developer machine."""
    if run_settings.function_arn:
        from .lambda_api import LambdaRuns

        return LambdaRuns(run_settings.function_arn)
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        raise Unavailable("RUNS_FUNCTION_ARN is not set; deploy the runs function with this one")
    from .local import local_runs

    return local_runs(run_settings)
