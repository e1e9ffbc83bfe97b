"""The Model Context Protocol over Streamable HTTP: the kit's tools for any MCP client, at ``POST /mcp``.

Stateless, standard library only: every request is answered on its own. Current clients (protocol
2026-07-28) send each request with its protocol version in ``params._meta`` and in the
``MCP-Protocol-Version`` header, and may ask ``server/discover`` first; older clients (2025-06-18,
2025-11-25) begin with ``initialize``, which is answered and not remembered (no session id).

- ``tools/list``: every tool, with the JSON Schema the model sees.
- ``tools/call``: runs one tool. Arguments that do not fit, or a tool that raises, answer a result
  with ``isError: true`` (the caller's model reads why), not a protocol error. With a progress
  token, each progress line the tool sends is a ``notifications/progress`` in an SSE answer, as
  it happens where the function streams and in order where it buffers.
- Anything malformed (not JSON, not JSON-RPC 2.0, an unknown method, bad params, headers that
  disagree with the body) answers a JSON-RPC error with the status the transport gives it: 400
  (404 for an unknown method on the current protocol), never a 5xx.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from ..agent import tools
from ..agent.errors import ToolArgumentError

MODERN_VERSIONS = ("2026-07-28",)
HANDSHAKE_VERSIONS = ("2025-06-18", "2025-11-25")
MEDIA_TYPE_SSE = "text/event-stream"
SERVER_INFO = {"name": "agent", "version": "1.0.0"}
CAPABILITIES = {"tools": {"listChanged": False}}
# How long a client may keep the tool list and the discovery answer: the tools change only when
# the function is deployed again. Private: the answers sit behind the API key.
CACHING = {"ttlMs": 60_000, "cacheScope": "private"}

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
HEADER_MISMATCH = -32020
UNSUPPORTED_PROTOCOL_VERSION = -32022
# The HTTP status of each error on the current protocol's transport; the rest answer 200.
ERROR_STATUS = {
    PARSE_ERROR: 400,
    INVALID_REQUEST: 400,
    INVALID_PARAMS: 400,
    HEADER_MISMATCH: 400,
    UNSUPPORTED_PROTOCOL_VERSION: 400,
    METHOD_NOT_FOUND: 404,
}
# A framework's account of a tool that raised (``tools.ToolFailed``), passed on as it is.
FAILURES = tuple(getattr(tools, name) for name in ("ToolFailed",) if hasattr(tools, name))
VERSION_KEY = "io.modelcontextprotocol/protocolVersion"
CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities"


class Reply:
    """What to answer: a status, headers and the body's chunks (one JSON object, or SSE events).

    ``request_id`` is set on a streamed answer: the request its last event answers (see
    ``timeout_event``).
    """

    def __init__(
        self,
        status: int,
        headers: dict[str, str] | None = None,
        body: Iterator[bytes] | None = None,
        request_id: object = None,
    ) -> None:
        self.status, self.headers, self.request_id = status, headers or {}, request_id
        self.body = body if body is not None else iter(())


class RpcError(Exception):
    def __init__(self, code: int, message: str, data: object = None) -> None:
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


def handle(raw: bytes, headers: Mapping[str, str]) -> Reply:
    """The reply to one POSTed message; ``headers`` with lowercase names."""
    try:
        message = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except (ValueError, RecursionError):  # bad JSON, lone surrogates, numbers too long, deep nesting
        return error_reply(None, RpcError(PARSE_ERROR, "Parse error: the body is not JSON"), modern=True)
    if _is_notification(message) or _is_response(message):
        return Reply(202)  # nothing to answer: ``notifications/initialized``, a cancellation, ...
    modern = headers.get("mcp-protocol-version") in MODERN_VERSIONS
    request_id = message.get("id") if isinstance(message, dict) else None
    try:
        method, params = _request(message)
        modern = _check_version(method, params, headers) or modern
        return answer(request_id, method, params, headers, modern)
    except RpcError as problem:
        return error_reply(request_id if _valid_id(request_id) else None, problem, modern)


def answer(request_id: object, method: str, params: dict, headers: Mapping[str, str], modern: bool) -> Reply:
    if method == "tools/call":
        return call_tool(request_id, params, headers, modern)
    if method == "initialize":
        offered = params.get("protocolVersion")
        version = offered if offered in HANDSHAKE_VERSIONS else HANDSHAKE_VERSIONS[-1]
        result = {"protocolVersion": version, "capabilities": CAPABILITIES, "serverInfo": SERVER_INFO}
    elif method == "server/discover":
        result = {
            "supportedVersions": list(MODERN_VERSIONS),
            "capabilities": CAPABILITIES,
            "_meta": {"io.modelcontextprotocol/serverInfo": SERVER_INFO},
            **CACHING,
        }
    elif method == "tools/list":
        result = {"tools": [_tool(spec) for spec in tools.specs()], **(CACHING if modern else {})}
    elif method == "ping":
        result = {}
    else:
        raise RpcError(METHOD_NOT_FOUND, f"Method not found: {method!r}")
    return json_reply(_response(request_id, result, modern))


def call_tool(request_id: object, params: dict, headers: Mapping[str, str], modern: bool) -> Reply:
    name, arguments = params.get("name"), params.get("arguments")
    if not isinstance(name, str):
        raise RpcError(INVALID_PARAMS, "params.name must be the tool's name")
    if arguments is None:
        arguments = {}
    if name not in {spec["name"] for spec in tools.specs()}:
        raise RpcError(INVALID_PARAMS, f"unknown tool {name!r}")
    meta = params.get("_meta") if isinstance(params.get("_meta"), dict) else {}
    token = meta.get("progressToken")
    if token is not None and (isinstance(token, bool) or not isinstance(token, str | int)):
        raise RpcError(INVALID_PARAMS, "_meta.progressToken must be a string or an integer")
    try:
        tools.check_arguments(name, arguments)
    except ToolArgumentError as problem:
        return json_reply(_response(request_id, _tool_failed(str(problem)), modern))
    events = _events(name, arguments, token)
    if token is None or MEDIA_TYPE_SSE not in headers.get("accept", ""):
        *_, final = events  # no one to send progress to: the result alone, as JSON
        return json_reply(_response(request_id, final, modern))
    stream = _sse(request_id, events, modern)
    return Reply(200, {"content-type": MEDIA_TYPE_SSE, "cache-control": "no-cache"}, stream, request_id)


def _events(name: str, arguments: dict, token: object) -> Iterator[dict]:
    """The call's progress notifications as the tool sends them, then its result."""
    progress = 0
    try:
        for event in tools.run_tool(name, arguments):
            if event.type == "status":
                progress += 1
                yield _progress(token, progress, event.payload["message"])
            elif event.type == "result":
                output = event.payload.get("output")
                yield _tool_output(output)
                return
    except (ToolArgumentError, *FAILURES) as problem:  # already in words for the model
        yield _tool_failed(str(problem))
        return
    except Exception as problem:
        kind = type(problem).__name__
        yield _tool_failed(f"{kind}: {problem}" if str(problem) else kind)
        return
    yield _tool_failed("the tool ended without a result")


def _sse(request_id: object, events: Iterator[dict], modern: bool) -> Iterator[bytes]:
    for item in events:
        if item.get("method") == "notifications/progress":
            yield sse_event(item)
        else:
            yield sse_event(_response(request_id, item, modern))


def timeout_event(request_id: object) -> bytes:
    """The SSE event that ends a tool call cut off by the function's deadline."""
    message = "the function's time ran out before the tool finished"
    return sse_event({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32001, "message": message}})


def sse_event(message: dict) -> bytes:
    return b"event: message\ndata: " + _dumps(message) + b"\n\n"


def json_reply(message: dict, status: int = 200) -> Reply:
    return Reply(status, {"content-type": "application/json"}, iter((_dumps(message),)))


def error_reply(request_id: object, problem: RpcError, modern: bool) -> Reply:
    error: dict = {"code": problem.code, "message": problem.message}
    if problem.data is not None:
        error["data"] = problem.data
    # Either protocol: a message that is not a request, or a version the server cannot speak, is 400.
    always = problem.code in (PARSE_ERROR, INVALID_REQUEST, HEADER_MISMATCH, UNSUPPORTED_PROTOCOL_VERSION)
    status = ERROR_STATUS.get(problem.code, 200) if modern or always else 200
    return json_reply({"jsonrpc": "2.0", "id": request_id, "error": error}, status)


def _request(message: object) -> tuple[str, dict]:
    """The method and params of a JSON-RPC 2.0 request; RpcError for anything else."""
    if not isinstance(message, dict):
        raise RpcError(INVALID_REQUEST, "Invalid Request: send one JSON-RPC request object (no batches)")
    if message.get("jsonrpc") != "2.0":
        raise RpcError(INVALID_REQUEST, 'Invalid Request: "jsonrpc" must be "2.0"')
    if not _valid_id(message.get("id")):
        raise RpcError(INVALID_REQUEST, 'Invalid Request: "id" must be a string or an integer')
    method, params = message.get("method"), message.get("params", {})
    if not isinstance(method, str):
        raise RpcError(INVALID_REQUEST, 'Invalid Request: "method" must be a string')
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise RpcError(INVALID_PARAMS, '"params" must be an object')
    return method, params


def _check_version(method: str, params: dict, headers: Mapping[str, str]) -> bool:
    """Whether the request speaks the current protocol; RpcError when its version is unusable.

    The current protocol names its version in every request's ``_meta`` and in the header, and
    the method (and a called tool's name) in headers too: all must agree with the body.
    """
    header = headers.get("mcp-protocol-version")
    meta = params.get("_meta")
    in_meta = isinstance(meta, dict) and VERSION_KEY in meta
    if header is None and not in_meta:
        return False  # an older client: ``initialize``, or a request after it
    if header in HANDSHAKE_VERSIONS and not in_meta:
        return False
    supported = [*MODERN_VERSIONS, *HANDSHAKE_VERSIONS]
    if not in_meta and header not in MODERN_VERSIONS:
        data = {"supported": supported, "requested": header}
        raise RpcError(UNSUPPORTED_PROTOCOL_VERSION, f"unsupported protocol version {header!r}", data)
    if not in_meta or not isinstance(meta.get(CAPABILITIES_KEY), dict):
        raise RpcError(INVALID_PARAMS, f"params._meta must carry {VERSION_KEY!r} and {CAPABILITIES_KEY!r}")
    version = meta[VERSION_KEY]
    if header != version:
        raise RpcError(HEADER_MISMATCH, "MCP-Protocol-Version header does not match params._meta")
    if headers.get("mcp-method") != method:
        raise RpcError(HEADER_MISMATCH, "Mcp-Method header does not match the request's method")
    if method == "tools/call" and headers.get("mcp-name") != params.get("name"):
        raise RpcError(HEADER_MISMATCH, "Mcp-Name header does not match the called tool's name")
    if not isinstance(version, str):
        raise RpcError(INVALID_PARAMS, "the protocol version must be a string")
    if version not in MODERN_VERSIONS:
        data = {"supported": supported, "requested": version}
        raise RpcError(UNSUPPORTED_PROTOCOL_VERSION, f"unsupported protocol version {version!r}", data)
    return True


def _valid_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _is_notification(message: object) -> bool:
    return (
        isinstance(message, dict)
        and "id" not in message
        and message.get("jsonrpc") == "2.0"
        and isinstance(message.get("method"), str)
    )


def _is_response(message: object) -> bool:
    return (
        isinstance(message, dict)
        and "method" not in message
        and message.get("jsonrpc") == "2.0"
        and ("result" in message or "error" in message)
    )


def _response(request_id: object, result: dict, modern: bool) -> dict:
    if modern:
        result = {**result, "resultType": "complete"}
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


def _progress(token: object, progress: int, message: str) -> dict:
    params = {"progressToken": token, "progress": progress, "message": message}
    return {"jsonrpc": "2.0", "method": "notifications/progress", "params": params}


def _tool(spec: dict) -> dict:
    return {"name": spec["name"], "description": spec["description"], "inputSchema": spec["parameters"]}


def _tool_output(output: object) -> dict:
    text = output if isinstance(output, str) else json.dumps(output, ensure_ascii=False, default=str)
    result: dict = {"content": [{"type": "text", "text": text}], "isError": False}
    if isinstance(output, dict):
        result["structuredContent"] = json.loads(json.dumps(output, default=str))
    return result


def _tool_failed(message: str) -> dict:
    return {"content": [{"type": "text", "text": message}], "isError": True}


def _dumps(message: dict) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), default=str).encode()
