"""HTTP routes without a web framework: small functions over ``service``, which holds the work.

``stream`` yields an ``HttpHead`` and then the body as it is produced; the runtime turns the
head into the HTTP integration prelude that streaming integrations (a Function URL's
among them) read. ``buffered`` collects the same reply into an API Gateway proxy response.
"""

from __future__ import annotations

import base64
import json
from collections import namedtuple
from collections.abc import Callable, Iterator

from . import extra_routes, service
from .access import gateway_authenticated, policy_for
from .deadline import DeadlineExceeded, RemainingMs, cut_off, within_deadline
from .errors import INTERNAL_ERROR, ApiError, error_body
from .logs import get_logger
from .payloads import parse_chat, parse_json
from .protocols import ndjson, openai
from .runtime.http import HttpHead
from .settings import get_settings

log = get_logger(__name__)

JSON = "application/json"
NO_BUFFERING = {"cache-control": "no-cache", "x-accel-buffering": "no"}

Body = Iterator[bytes]


# An HTTP request from any of the three event shapes; header names are lowercase.
# ``gateway_checked``: API Gateway already authenticated the caller (see access.py).
Request = namedtuple("Request", ["method", "path", "headers", "body", "source_ip", "gateway_checked"])
# A reply: its HttpHead, then the body's chunks as they are produced.
Reply = namedtuple("Reply", ["head", "body"])


def is_function_url(event: dict) -> bool:
    return ".lambda-url." in str(event.get("requestContext", {}).get("domainName", ""))


def request_of(event: dict) -> Request:
    """The request in a Function URL or API Gateway proxy event (payload 1.0 or 2.0)."""
    context = event.get("requestContext") or {}
    http = context.get("http") or {}
    method = http.get("method") or event.get("httpMethod") or "GET"
    path = event.get("rawPath") or event.get("path") or "/"
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    body = event.get("body") or ""
    # surrogatepass: a lone surrogate in the event's body string reaches parse_json as bytes
    # that are not UTF-8, and a 400, rather than failing the encoding here.
    raw = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode("utf-8", "surrogatepass")
    source_ip = http.get("sourceIp") or (context.get("identity") or {}).get("sourceIp")
    return Request(method.upper(), path, headers, raw, source_ip, gateway_authenticated(context))


def _once(data: bytes) -> Body:
    yield data


def json_reply(status: int, content: object, headers: dict[str, str] | None = None) -> Reply:
    text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Reply(HttpHead(status, {"content-type": JSON, **(headers or {})}), _once(text.encode()))


def checked_body(request: Request) -> dict:
    settings = get_settings()
    policy_for(settings).check(request.headers, request.source_ip, request.gateway_checked)
    return parse_json(request.body, settings.max_request_bytes)


def time_left(context: object) -> RemainingMs | None:
    """The invocation's remaining milliseconds, or None where no deadline applies."""
    return getattr(context, "get_remaining_time_in_millis", None)


def streamed(chunks: Body, media_type: str, context: object) -> Reply:
    """A streamed reply, cut off with an error event shortly before the function times out."""
    chunks = cut_off(chunks, media_type, time_left(context))
    return Reply(HttpHead(200, {"content-type": media_type, **NO_BUFFERING}), chunks)


def health(request: Request, context: object) -> Reply:
    return json_reply(200, service.health())


def chat_completions(request: Request, context: object) -> Reply:
    settings = get_settings()
    chat = parse_chat(checked_body(request), settings.agent_model)
    if chat.stream:
        return streamed(service.stream_chat(chat, settings), openai.MEDIA_TYPE_SSE, context)
    return json_reply(200, within_deadline(lambda: service.complete_chat(chat, settings), time_left(context)))


def invoke(request: Request, context: object) -> Reply:
    chunks = service.stream_invoke(checked_body(request), get_settings())
    return streamed(chunks, ndjson.MEDIA_TYPE, context)


def api_chat(request: Request, context: object) -> Reply:
    from . import ui_chat  # loaded on the first browser chat, not at every cold start
    from .protocols import ui_messages

    chunks = ui_chat.stream(ui_chat.parse(checked_body(request)), get_settings(), time_left(context))
    return Reply(HttpHead(200, {"content-type": ui_messages.MEDIA_TYPE, **ui_messages.HEADERS}), chunks)


def send_message(request: Request, context: object) -> Reply:
    from . import messages  # loaded on the first message, not at every cold start

    message = messages.parse(checked_body(request))
    answer = within_deadline(lambda: service.send_message(message, get_settings()), time_left(context))
    return json_reply(200, answer)


def message_status(request: Request, context: object) -> Reply:
    from urllib.parse import unquote

    settings = get_settings()
    policy_for(settings).check(request.headers, request.source_ip, request.gateway_checked)
    response_uuid = unquote(request.path.removeprefix(MESSAGES))
    answer = within_deadline(lambda: service.message_status(response_uuid, settings), time_left(context))
    return json_reply(200, answer)


def mcp(request: Request, context: object) -> Reply:
    settings = get_settings()
    policy_for(settings).check(request.headers, request.source_ip, request.gateway_checked)
    reply = service.answer_mcp(request.body, request.headers, settings, time_left(context))
    return Reply(HttpHead(reply.status, reply.headers), reply.body)


def extra(route: extra_routes.Route) -> Route:
    """One of ``extra_routes`` as a route here."""

    def handle(request: Request, context: object) -> Reply:
        if route.method == "GET":
            policy_for(get_settings()).check(request.headers, request.source_ip, request.gateway_checked)
            return json_reply(route.status, route.handle(None, request.path, request.headers))
        answer = route.handle(checked_body(request), request.path, request.headers)
        return json_reply(route.status, answer)

    return handle


Route = Callable[[Request, object], Reply]
# GET /api/v1/messages/{response_uuid}: a queued message's status and reply.
MESSAGES = "/api/v1/messages/"
ROUTES: dict[str, dict[str, Route]] = {
    "/health": {"GET": health},
    "/v1/chat/completions": {"POST": chat_completions},
    "/invoke": {"POST": invoke},
    "/api/chat": {"POST": api_chat},
    "/api/v1/send_message": {"POST": send_message},
    "/mcp": {"POST": mcp},
}


def route(request: Request, context: object) -> Reply:
    """The reply's head and body, with CORS where no Function URL answers it (see ``cors``)."""
    origins = get_settings().allowed_origins
    if not origins or ".lambda-url." in request.headers.get("host", ""):
        return dispatch(request, context)
    from . import cors  # only where the function answers CORS itself

    origin = request.headers.get("origin")
    if cors.is_preflight(request.method, request.headers):
        return Reply(HttpHead(204, cors.preflight_headers(origin, origins)), _once(b""))
    reply = dispatch(request, context)
    reply.head.headers.update(cors.headers(origin, origins))
    return reply


def routes_for(path: str) -> dict[str, Route] | None:
    """The methods served at ``path``: the standard routes, with ``extra_routes`` over them."""
    key = extra_routes.path_key(path)
    added = {r.method: extra(r) for r in extra_routes.routes() if r.path == key}
    standard = ROUTES.get(path)
    if standard is None and path.startswith(MESSAGES) and len(path) > len(MESSAGES):
        standard = {"GET": message_status}
    if not added:
        return standard
    return {**(standard or {}), **added}


def dispatch(request: Request, context: object) -> Reply:
    """The route's reply; errors before the body become JSON error replies."""
    methods = routes_for(request.path)
    if methods is None:
        return json_reply(404, error_body(404, "Not Found", "invalid_request_error"))
    handle = methods.get(request.method)
    if handle is None:
        body = error_body(405, "Method Not Allowed", "invalid_request_error")
        return json_reply(405, body, {"allow": ", ".join(methods)})
    try:
        return handle(request, context)
    except ApiError as problem:
        return json_reply(problem.status, problem.body(), problem.headers())
    except Exception:
        log.exception("unhandled error")
        return json_reply(500, INTERNAL_ERROR)


def stream(event: dict, context: object) -> Iterator[HttpHead | bytes]:
    """The head, then each chunk the moment it exists.

    A failure mid-stream has already put an error event in the body; it is raised on so the
    runtime also marks the invocation failed (the error trailers).
    """
    reply = route(request_of(event), context)
    yield reply.head
    yield from reply.body


def buffered(event: dict, context: object) -> dict:
    """The whole reply as an API Gateway proxy response, for integrations that do not stream."""
    reply = route(request_of(event), context)
    parts = []
    try:
        for chunk in reply.body:
            parts.append(chunk)
    except (service.StreamFailed, DeadlineExceeded):
        pass  # the error event is already in the body
    body = b"".join(parts).decode()
    return {
        "statusCode": reply.head.status_code,
        "headers": reply.head.headers,
        "body": body,
        "isBase64Encoded": False,
    }
