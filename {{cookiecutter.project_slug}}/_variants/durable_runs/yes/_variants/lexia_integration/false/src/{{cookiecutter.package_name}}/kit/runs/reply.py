"""Where a run reports: tool progress and the final result go to the log, and to the run's
``stream_url`` when its input names one.

Each report is POSTed as one JSON object, a line of the ``POST /invoke`` stream (``{"type":
"status", "id", "message", "timestamp"}``, then ``{"type": "result", ...}`` or ``{"type":
"error", ...}``), with ``Authorization: Bearer <stream_token>`` when the input has a token.
Progress is sent from inside the tool's checkpointed step and the result from a step of its
own, so a replay never sends them again. Delivery is best effort: a listener that is down
costs a log line, never the run.
"""

from __future__ import annotations

import urllib.request

from ..agent.events import AgentEvent, ToolCall
from ..agent.events import status as status_event
from ..errors import BadRequest
from ..logs import get_logger
from ..payloads import MessageRequest
from ..protocols import ndjson
from ..settings import Settings

log = get_logger(__name__)

TIMEOUT_S = 5.0


def check(body: dict) -> None:
    """Refuse a run input whose ``stream_url``/``stream_token`` cannot be used, before it starts."""
    url, token = body.get("stream_url"), body.get("stream_token")
    if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        raise BadRequest("'stream_url' must be an http(s) URL")
    if token is not None and not isinstance(token, str):
        raise BadRequest("'stream_token' must be a string")


def run_input(request: MessageRequest) -> dict:
    """The run for a ``send_message`` message: the message as the conversation, its stream as the
    listener."""
    body: dict = {"messages": [{"role": "user", "content": request.message}]}
    if request.stream_url:
        body["stream_url"] = request.stream_url
    if request.stream_token:
        body["stream_token"] = request.stream_token
    check(body)
    return body


class Reply:
    def __init__(self, stream_url: str, stream_token: str) -> None:
        self.stream_url = stream_url
        self.stream_token = stream_token

    @property
    def delivers(self) -> bool:
        """Whether anyone listens beyond the log (the result then needs a step of its own)."""
        return bool(self.stream_url)

    def status(self, call: ToolCall, message: str) -> None:
        log.info("tool status", tool=call.name, id=call.id, status=message)
        self._post(status_event(message, call.id))

    def finish(self, outcome: dict) -> None:
        self._post(AgentEvent(outcome["type"], {k: v for k, v in outcome.items() if k != "type"}))

    def _post(self, event: AgentEvent) -> None:
        if not self.stream_url:
            return
        headers = {"content-type": "application/json"}
        if self.stream_token:
            headers["authorization"] = f"Bearer {self.stream_token}"
        # check() admitted only http(s) URLs.
        post = urllib.request.Request(self.stream_url, ndjson.encode(event), headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(post, timeout=TIMEOUT_S) as response:  # noqa: S310
                response.read()
        except OSError as problem:
            log.warning("stream_url did not take a report", type=event.type, problem=str(problem))


def reply_for(event: dict, settings: Settings) -> Reply:
    """The run's listener, from its input (checked when the run was started)."""
    try:
        check(event)
    except BadRequest as problem:  # the function was invoked directly, past POST /v1/runs
        log.warning("the run's input names no usable stream_url", problem=problem.message)
        return Reply("", "")
    return Reply(event.get("stream_url") or "", event.get("stream_token") or "")
