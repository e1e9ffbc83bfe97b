"""The HTTP app: routes are thin, the work is in ``service``.

``service`` is plain blocking code: streams are generators, which ``StreamingResponse``
reads in a worker thread, and whole replies run through ``run_in_threadpool``, so a slow
model or tool never holds up the event loop.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from . import messages, service
from .access import policy_for
from .errors import INTERNAL_ERROR, ApiError, error_body
from .logs import get_logger
from .payloads import parse_chat, parse_json
from .protocols import ndjson, openai
{% if cookiecutter.durable_runs == "yes" %}
from .runs import api as runs_api
from .runs.config import get_run_settings
{% endif %}
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
    app = FastAPI(title="agent", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(JsonErrors)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, problem: ApiError) -> JSONResponse:
        return JSONResponse(problem.body(), status_code=problem.status)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, problem: HTTPException) -> JSONResponse:
        body = error_body(problem.status_code, str(problem.detail), "invalid_request_error")
        return JSONResponse(body, status_code=problem.status_code, headers=problem.headers)

    async def checked_body(request: Request) -> dict:
        settings = get_settings()
        # In a thread: the first check of a process may fetch the key from AWS, which blocks.
        await run_in_threadpool(policy_for(settings).check, request.headers, caller_ip(request))
        return parse_json(await request.body(), settings.max_request_bytes)

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
            body = quiet_end(service.stream_chat(chat, settings))
            return StreamingResponse(body, media_type=openai.MEDIA_TYPE_SSE, headers=NO_BUFFERING)
        return await run_in_threadpool(service.complete_chat, chat, settings)

    @app.post("/invoke", response_model=None)
    async def invoke(request: Request):
        body = quiet_end(service.stream_invoke(await checked_body(request), get_settings()))
        return StreamingResponse(body, media_type=ndjson.MEDIA_TYPE, headers=NO_BUFFERING)

    @app.post("/api/v1/send_message", response_model=None)
    async def send_message(request: Request) -> dict:
        message = messages.parse(await checked_body(request))
        return await run_in_threadpool(service.send_message, message, get_settings())
{% if cookiecutter.durable_runs == "yes" %}

    @app.post("/v1/runs", status_code=202, response_model=None)
    async def start_run(request: Request) -> dict:
        body, headers = await checked_body(request), dict(request.headers)
        return await run_in_threadpool(runs_api.start, body, headers, get_settings(), get_run_settings())

    @app.get("/v1/runs/{run_id}", response_model=None)
    async def run_status(request: Request, run_id: str) -> dict:
        await run_in_threadpool(policy_for(get_settings()).check, request.headers, caller_ip(request))
        return await run_in_threadpool(runs_api.status, run_id, get_run_settings())

    @app.post("/v1/runs/{run_id}/approval", response_model=None)
    async def approve_run(request: Request, run_id: str) -> dict:
        body = await checked_body(request)
        return await run_in_threadpool(runs_api.decide, run_id, body, get_run_settings())
{% endif %}

    return app


def caller_ip(request: Request) -> str | None:
    """The caller's address as Lambda saw it.

    Under Mangum the Lambda event is in the ASGI scope. Behind the Lambda Web Adapter
    the adapter passes the request context in a header it sets itself.
    """
    event = request.scope.get("aws.event")
    if isinstance(event, dict):
        return _source_ip(event.get("requestContext"))
    header = request.headers.get("x-amzn-request-context")
    if header:
        try:
            return _source_ip(json.loads(header))
        except ValueError:
            return None
    return request.client.host if request.client else None


def _source_ip(context: object) -> str | None:
    """``sourceIp`` of a Function URL / HTTP API context, or of a REST API one."""
    if not isinstance(context, dict):
        return None
    for part in ("http", "identity"):
        section = context.get(part)
        if isinstance(section, dict) and isinstance(section.get("sourceIp"), str):
            return section["sourceIp"]
    return None


def quiet_end(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The error event is already in the stream; end it cleanly for HTTP clients."""
    try:
        yield from chunks
    except service.StreamFailed:
        return


app = create_app()
