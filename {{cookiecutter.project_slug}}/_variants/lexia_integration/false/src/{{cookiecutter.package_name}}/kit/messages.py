"""Messages for ``/api/v1/send_message`` and the SQS worker: parse one, answer one, deliver the answer.

Answered at once, the reply goes back to the caller. Answered from the queue, it goes to the
message's ``stream_url`` when it names one: the run's ``status`` lines, then its ``result``
(or ``error``), as lines of the ``POST /invoke`` NDJSON stream, in one POST with
``Authorization: Bearer <stream_token>`` when the message has a token. A delivery that fails
(no answer, a 5xx, 408 or 429) is tried again with back-off, ``DELIVERY_TRIES`` times in all;
any other 4xx is final at once. The worker records the outcome; a delivery never runs the
agent again.
"""

from __future__ import annotations

import time
from collections import namedtuple

from . import author
from .agent import tools
from .agent.events import error as error_event
from .agent.loop import outcome_of
from .logs import get_logger
from .payloads import MessageRequest, parse_message
from .protocols import ndjson
from .settings import Settings

log = get_logger(__name__)

parse = parse_message

DELIVERY_TRIES = 4
DELIVERY_BACKOFF_S = 0.5  # doubles after each failed try: 0.5, 1 and 2 s
DELIVERY_TIMEOUT_S = 10.0
RETRIED_STATUSES = (408, 429)

# A queued message's run: the reply (or the error that ended it), where the answer goes
# ("pending": to the message's stream_url, "none": nowhere but the store) and the lines to deliver.
Answer = namedtuple("Answer", ["reply", "error", "delivery", "lines"])


def answer(request: MessageRequest, settings: Settings) -> dict:
    """Answer the message as the author's ``answer_message`` does; the reply goes back to the caller."""
    return {"reply": outcome_of(author.answer_message(request.conversation(), settings))["text"]}


def run(request: MessageRequest, settings: Settings) -> Answer:
    """Run the author's ``answer_message`` once for a queued message; never raises for the agent."""
    lines: list[bytes] = []
    reply, problem = "", None
    try:
        for event in author.answer_message(request.conversation(), settings):
            if event.type in ("status", "result", "error"):
                lines.append(ndjson.encode(event))
            if event.type == "result":
                reply = str(event.payload.get("text", ""))
            elif event.type == "error":
                problem = event.payload["message"]
                break
    except Exception as failure:
        log.exception("agent failed", response_uuid=request.response_uuid)
        problem = str(failure) if isinstance(failure, tools.ToolArgumentError) else "agent failed"
        lines.append(ndjson.encode(error_event(problem)))
    return Answer(reply, problem, "pending" if request.stream_url else "none", tuple(lines))


def deliver(request: MessageRequest, answer: Answer) -> dict | None:
    """POST the answer's lines to the message's ``stream_url``; how it went, or None when the
    message names no ``stream_url``."""
    if not request.stream_url:
        return None
    import urllib.error
    import urllib.request

    headers = {"content-type": ndjson.MEDIA_TYPE}
    if request.stream_token:
        headers["authorization"] = f"Bearer {request.stream_token}"
    body = b"".join(answer.lines)
    problem = ""
    for attempt in range(1, DELIVERY_TRIES + 1):
        if attempt > 1:
            time.sleep(DELIVERY_BACKOFF_S * 2 ** (attempt - 2))
        # parse_message admitted only http(s) URLs.
        post = urllib.request.Request(request.stream_url, body, headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(post, timeout=DELIVERY_TIMEOUT_S) as response:  # noqa: S310
                response.read()
            return {"status": "delivered", "attempts": attempt, "at": _now()}
        except urllib.error.HTTPError as refused:
            refused.close()
            problem = f"HTTP {refused.code} from the stream_url"
            if refused.code < 500 and refused.code not in RETRIED_STATUSES:
                break
        except OSError as failure:  # refused, timed out, dropped
            problem = f"the stream_url did not answer: {getattr(failure, 'reason', None) or failure}"
        log.warning("delivery failed", response_uuid=request.response_uuid, attempt=attempt, problem=problem)
    return {"status": "failed", "attempts": attempt, "error": problem[:500], "at": _now()}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
