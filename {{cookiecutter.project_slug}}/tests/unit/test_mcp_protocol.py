"""The MCP protocol module on its own: what each malformed or mismatched message answers."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.kit.protocols import mcp

MODERN = "2026-07-28"
META = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientCapabilities": {},
}


def modern_headers(method: str, **extra: str) -> dict:
    return {"mcp-protocol-version": MODERN, "mcp-method": method, "accept": "application/json", **extra}


def answer(message: object, headers: dict | None = None) -> tuple[int, dict | None]:
    raw = message if isinstance(message, bytes) else json.dumps(message).encode()
    reply = mcp.handle(raw, headers or {})
    body = b"".join(reply.body)
    return reply.status, json.loads(body) if body else None


def test_not_json_is_a_parse_error_with_400():
    status, body = answer(b"{nope")
    assert status == 400
    assert body == {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": -32700, "message": body["error"]["message"]},
    }


def test_a_batch_and_a_wrong_version_are_invalid_requests():
    assert answer([{"jsonrpc": "2.0", "id": 1, "method": "ping"}])[1]["error"]["code"] == -32600
    status, body = answer({"jsonrpc": "1.0", "id": 1, "method": "ping"})
    assert (status, body["error"]["code"]) == (400, -32600)


def test_notifications_and_responses_are_accepted_with_202_and_no_body():
    assert answer({"jsonrpc": "2.0", "method": "notifications/initialized"}) == (202, None)
    assert answer({"jsonrpc": "2.0", "id": 7, "result": {}}) == (202, None)


def test_an_unknown_method_is_404_on_the_current_protocol_and_200_on_the_older_one():
    message = {"jsonrpc": "2.0", "id": 1, "method": "resources/list", "params": {"_meta": META}}
    status, body = answer(message, modern_headers("resources/list"))
    assert (status, body["error"]["code"]) == (404, -32601)
    status, body = answer({"jsonrpc": "2.0", "id": 1, "method": "resources/list"})
    assert (status, body["error"]["code"]) == (200, -32601)


def test_headers_that_disagree_with_the_body_are_400_header_mismatch():
    message = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": META}}
    status, body = answer(message, modern_headers("ping"))
    assert (status, body["error"]["code"]) == (400, -32020)
    call = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "echo", "_meta": META}}
    status, body = answer(call, modern_headers("tools/call", **{"mcp-name": "other"}))
    assert (status, body["error"]["code"]) == (400, -32020)


def test_an_unknown_protocol_version_names_the_supported_ones():
    meta = {**META, "io.modelcontextprotocol/protocolVersion": "2099-01-01"}
    message = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": meta}}
    status, body = answer(message, {**modern_headers("tools/list"), "mcp-protocol-version": "2099-01-01"})
    assert (status, body["error"]["code"]) == (400, -32022)
    assert MODERN in body["error"]["data"]["supported"]


def test_initialize_answers_the_offered_version_or_the_newest_older_one():
    offered = {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    }
    _, body = answer({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": offered})
    assert body["result"]["protocolVersion"] == "2025-06-18"
    assert body["result"]["capabilities"] == {"tools": {"listChanged": False}}
    _, body = answer(
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {**offered, "protocolVersion": "1999"}}
    )
    assert body["result"]["protocolVersion"] == "2025-11-25"


def test_a_call_without_a_progress_token_answers_json_with_the_output():
    call = {"name": "echo", "arguments": {"message": "hi"}}
    status, body = answer({"jsonrpc": "2.0", "id": "a", "method": "tools/call", "params": call})
    assert status == 200
    assert body["id"] == "a"
    assert body["result"]["isError"] is False
    assert body["result"]["structuredContent"] == {"message": "hi"}


def test_a_deep_nesting_bomb_is_a_parse_error_not_a_crash():
    status, body = answer(b"[" * 100_000 + b"]" * 100_000)
    assert (status, body["error"]["code"]) == (400, -32700)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
messages = st.fixed_dictionaries(
    {},
    optional={
        "jsonrpc": st.sampled_from(["2.0", "1.0", 2]) | json_values,
        "id": st.integers() | st.text(max_size=8) | json_values,
        "method": st.sampled_from(["initialize", "tools/list", "tools/call", "ping", "server/discover"])
        | json_values,
        "params": st.fixed_dictionaries(
            {}, optional={"name": st.sampled_from(["echo", "nope"]) | json_values, "arguments": json_values}
        )
        | json_values,
    },
)


@settings(max_examples=300, deadline=None)
@given(message=messages | json_values, modern=st.booleans())
def test_no_message_gets_a_5xx_or_an_exception(message, modern):
    method = message.get("method") if isinstance(message, dict) else None
    headers = modern_headers(method if isinstance(method, str) else "x") if modern else {}
    status, body = answer(message, headers)
    assert status in (200, 202, 400, 404)
    if body is not None:
        assert body["jsonrpc"] == "2.0"
        assert ("result" in body) != ("error" in body)
