"""The HTTP app: routes are thin, the work is in ``service``.

``service`` is plain blocking code: streams are generators, which ``StreamingResponse``
reads in a worker thread, and whole replies run through ``run_in_threadpool``, so a slow
model or tool never holds up the event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from functools import partial

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from . import extra_routes, messages, service, ui_chat
from .access import gateway_authenticated, policy_for
from .cors_middleware import CorsMiddleware
from .deadline import DeadlineExceeded, cut_off, within_deadline
from .errors import INTERNAL_ERROR, ApiError, error_body
from .lambda_request import caller_ip, request_context, time_left
from .logs import get_logger
from .payloads import parse_chat, parse_json
from .protocols import ndjson, openai, ui_messages
from .settings import get_settings

log = get_logger(__name__)

NO_BUFFERING = {"cache-control": "no-cache", "x-accel-buffering": "no"}


class JsonErrors:
    """Answer any unhandled exception with a JSON 500 that carries no traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error")
            if scope["type"] != "http" or started:
                return
            await JSONResponse(INTERNAL_ERROR, status_code=500)(scope, receive, send)


def create_app() -> FastAPI:
    """The app; ``lambda_request`` reads what Lambda says about each request."""
    # FastAPI's own request spans stay off: they end after the response, too late to be sent
    # before Lambda freezes the function. The kit's spans (kit/telemetry) cover each run.
    quiet = {"tracing": False, "metrics": False, "logs": False}
    app = FastAPI(title="agent", docs_url=None, redoc_url=None, openapi_url=None, telemetry=quiet)
    app.add_middleware(JsonErrors)
    app.add_middleware(CorsMiddleware)  # outermost: preflights never reach the access checks

    @app.exception_handler(ApiError)
    async def api_error(_: Request, problem: ApiError) -> JSONResponse:
        return JSONResponse(problem.body(), status_code=problem.status, headers=problem.headers())

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, problem: HTTPException) -> JSONResponse:
        body = error_body(problem.status_code, str(problem.detail), "invalid_request_error")
        return JSONResponse(body, status_code=problem.status_code, headers=problem.headers)

    async def checked_body(request: Request) -> dict:
        settings = get_settings()
        # In a thread: the first check of a process may fetch the key from AWS, which blocks.
        check = policy_for(settings).check
        await run_in_threadpool(check, request.headers, caller_ip(request), checked_by_gateway(request))
        return parse_json(await request.body(), settings.max_request_bytes)

    # First, so that one with the method and path of a standard route takes its place.
    for route in extra_routes.routes():
        app.add_api_route(
            route.path,
            extra(route, checked_body),
            methods=[route.method],
            status_code=route.status,
            response_model=None,
        )

    # Routes answer plain dicts or streams. response_model=None stops FastAPI from building a
    # pydantic model from each return annotation (which also imports pydantic.v1: ~30 ms of
    # cold start) and from re-validating every reply.
    @app.get("/health", response_model=None)
    async def health() -> dict:
        return service.health()

    @app.post("/v1/chat/completions", response_model=None)
    async def chat_completions(request: Request):
        settings = get_settings()
        chat = parse_chat(await checked_body(request), settings.agent_model)
        if chat.stream:
            return streamed(service.stream_chat(chat, settings), openai.MEDIA_TYPE_SSE, request)
        work = partial(service.complete_chat, chat, settings)
        return await run_in_threadpool(within_deadline, work, time_left(request))

    @app.post("/invoke", response_model=None)
    async def invoke(request: Request):
        data = await checked_body(request)
        # In a thread: one tool's call waits for the tool's first event, and a tool may block before it.
        chunks = await run_in_threadpool(service.stream_invoke, data, get_settings())
        return streamed(chunks, ndjson.MEDIA_TYPE, request)

    @app.post("/api/chat", response_model=None)
    async def api_chat(request: Request):
        chat = ui_chat.parse(await checked_body(request))
        body = quiet_end(ui_chat.stream(chat, get_settings(), time_left(request)))
        return StreamingResponse(body, media_type=ui_messages.MEDIA_TYPE, headers=ui_messages.HEADERS)

    @app.post("/api/v1/send_message", response_model=None)
    async def send_message(request: Request) -> dict:
        message = messages.parse(await checked_body(request))
        work = partial(service.send_message, message, get_settings())
        return await run_in_threadpool(within_deadline, work, time_left(request))

    @app.post("/mcp", response_model=None)
    async def mcp(request: Request):
        settings = get_settings()
        check = policy_for(settings).check
        await run_in_threadpool(check, request.headers, caller_ip(request), checked_by_gateway(request))
        raw, headers = await request.body(), dict(request.headers)
        work = partial(service.answer_mcp, raw, headers, settings, time_left(request))
        reply = await run_in_threadpool(work)
        if reply.request_id is not None:  # progress notifications, then the result: SSE
            return StreamingResponse(quiet_end(reply.body), status_code=reply.status, headers=reply.headers)
        return Response(b"".join(reply.body), status_code=reply.status, headers=reply.headers)

    @app.get("/api/v1/messages/{response_uuid:path}", response_model=None)
    async def message_status(request: Request) -> dict:
        # Read from the path, not as a typed parameter: one typed parameter makes FastAPI build a
        # pydantic field for it, which imports pydantic.v1 (~20 ms of every cold start).
        response_uuid = request.path_params["response_uuid"]
        settings = get_settings()
        check = policy_for(settings).check
        await run_in_threadpool(check, request.headers, caller_ip(request), checked_by_gateway(request))
        work = partial(service.message_status, response_uuid, settings)
        return await run_in_threadpool(within_deadline, work, time_left(request))

    return app


def extra(route: extra_routes.Route, checked_body: Callable[[Request], Awaitable[dict]]):
    """One of ``extra_routes`` as an endpoint of this app."""

    async def endpoint(request: Request) -> dict:
        if route.method == "GET":
            check = policy_for(get_settings()).check
            await run_in_threadpool(check, request.headers, caller_ip(request), checked_by_gateway(request))
            body = None
        else:
            body = await checked_body(request)
        path = route.path.format(**request.path_params)
        return await run_in_threadpool(route.handle, body, path, dict(request.headers))

    return endpoint


def checked_by_gateway(request: Request) -> bool:
    """Whether API Gateway in front already authenticated the caller."""
    return gateway_authenticated(request_context(request))


def streamed(chunks: Iterator[bytes], media_type: str, request: Request) -> StreamingResponse:
    """A stream cut off with an error event shortly before the function times out."""
    body = quiet_end(cut_off(chunks, media_type, time_left(request)))
    return StreamingResponse(body, media_type=media_type, headers=NO_BUFFERING)


def quiet_end(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The error event is already in the stream; end it cleanly for HTTP clients."""
    try:
        yield from chunks
    except (service.StreamFailed, DeadlineExceeded):
        return


app = create_app()
