"""Where a run reports: tool progress and the final result go to the log, and through Lexia
when the run answers a Lexia ``ChatMessage`` (its input's ``lexia``).

The message's ``stream_url``/``stream_token`` (else ``STREAM_URL``/``STREAM_TOKEN``) and ``url``
are used as the direct and SQS paths use them (``messages``): each progress line is published
as a Lexia trace, the answer completes the response, a failed run is reported as its error.
Progress is sent from inside the tool's checkpointed step and the result from a step of its
own, so a replay never sends them again.
"""

from __future__ import annotations

from .. import messages
from ..agent.events import ToolCall
from ..errors import BadRequest
from ..logs import get_logger
from ..settings import Settings

log = get_logger(__name__)


def check(body: dict) -> None:
    """Refuse a run input whose ``lexia`` is not a ``ChatMessage``, before the run starts."""
    if body.get("lexia") is not None:
        if not isinstance(body["lexia"], dict):
            raise BadRequest("'lexia' must be a Lexia ChatMessage")
        messages.parse(body["lexia"])


def run_input(request: messages.LexiaRequest) -> dict:
    """The run for a ``send_message`` message: its conversation, and the message to answer."""
    conversation = [{"role": m.role, "content": m.content} for m in request.conversation()]
    return {"messages": conversation, "lexia": request.message.model_dump(mode="json")}


class Reply:
    def __init__(self, request: messages.LexiaRequest | None, settings: Settings) -> None:
        self.request = request
        self.settings = settings
        self._lexia = None  # the LexiaHandler, made on the first report

    @property
    def delivers(self) -> bool:
        """Whether anyone listens beyond the log (the result then needs a step of its own)."""
        return self.request is not None

    def status(self, call: ToolCall, message: str) -> None:
        log.info("tool status", tool=call.name, id=call.id, status=message)
        self._send("status", lambda lexia, chat: lexia.begin(chat).tracing(f"{call.name}: {message}"))

    def finish(self, outcome: dict) -> None:
        if outcome["type"] == "result":
            self._send("result", lambda lexia, chat: lexia.complete_response(chat, outcome["text"]))
        else:
            self._send("error", lambda lexia, chat: lexia.send_error(chat, outcome["message"]))

    def _send(self, kind: str, send) -> None:
        """Best effort: a platform that is down costs a log line, never the run."""
        if self.request is None:
            return
        try:
            if self._lexia is None:
                self._lexia = messages._handler(self.request, self.settings)
            send(self._lexia, self.request.message)
        except Exception as problem:
            log.warning("Lexia did not take a report", type=kind, problem=str(problem))


def reply_for(event: dict, settings: Settings) -> Reply:
    """The run's listener, from its input (checked when the run was started)."""
    data = event.get("lexia")
    if not isinstance(data, dict):
        return Reply(None, settings)
    try:
        return Reply(messages.parse(data), settings)
    except BadRequest as problem:  # the function was invoked directly, past POST /v1/runs
        log.warning("the run's input holds no usable Lexia message", problem=problem.message)
        return Reply(None, settings)
