"""Bodies that once gave a 500 or a failed stream, and the rule each now meets, through every entry point."""

import json

import pytest
from fuzz_target import TARGETS

from {{ cookiecutter.package_name }}.kit.errors import BadRequest
from {{ cookiecutter.package_name }}.kit.payloads import MAX_DEPTH, parse_json

from conftest import load_event

CHAT = b'{"messages": [{"role": "user", "content": @}]}'
TOOL = b'{"tool": "echo", "arguments": {"message": @}}'
JSON = {"content-type": "application/json"}


def nested(depth: int) -> bytes:
    return b'{"a": ' * (depth - 1) + b"{}" + b"}" * (depth - 1)


def send_message(**fields) -> bytes:
    return json.dumps({**load_event("send_message.json"), **fields}).encode()


BAD = [
    ("/v1/chat/completions", b"[" * 100_000 + b"]" * 100_000, "nests deeper than 64 levels"),
    ("/invoke", TOOL.replace(b"@", b"[" * 3000 + b"]" * 3000), "nests deeper than 64 levels"),
    ("/api/v1/send_message", nested(MAX_DEPTH + 1), "nests deeper than 64 levels"),
    ("/v1/chat/completions", CHAT.replace(b"@", b'"\\ud800"'), "lone surrogate"),
    ("/invoke", TOOL.replace(b"@", b'"a\\udfff"'), "lone surrogate"),
    ("/invoke", b'{"tool": "echo", "arguments": {"\\udc00": "x"}}', "lone surrogate"),
    ("/api/v1/send_message", send_message(message="\udc80"), "lone surrogate"),
    ("/api/v1/send_message", send_message(response_uuid="\ud800"), "lone surrogate"),
    ("/v1/chat/completions", CHAT.replace(b"@", b'"\xed\xa0\x80"'), "not UTF-8 (byte 0xed at"),
    ("/invoke", TOOL.replace(b"@", b'"\xff"'), "not UTF-8"),
    ("/invoke", TOOL.replace(b"@", b"1e999999"), "the number 1e999999 is too large"),
    ("/invoke", TOOL.replace(b"@", b"9" * 5000), "a number has more than 100 digits"),
    ("/v1/chat/completions", CHAT.replace(b"@", b"NaN"), "NaN is not a JSON number"),
    ("/invoke", TOOL.replace(b"@", b"-Infinity"), "-Infinity is not a JSON number"),
    ("/invoke", b'{"tool": "' + b"x" * 65 + b'"}', "unknown tool"),
    ("/invoke", b'{"tool": "echo", "arguments": {"' + b"k" * 65 + b'": 1}}', "parameter names"),
    ("/invoke", b'{"tool": "slow_process", "arguments": {"message": "m", "steps": 0}}', "steps must be from"),
    ("/invoke", b'{"tool": "slow_process", "arguments": {"message": "m", "delay_ms": -1}}', "delay_ms must"),
    ("/api/v1/send_message", send_message(response_uuid="tab\there"), "'response_uuid' must be"),
    ("/api/v1/send_message", send_message(response_uuid="u" * 129), "'response_uuid' must be"),
]


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize(("path", "body", "problem"), BAD)
def test_a_bad_body_is_one_400_line(target, path, body, problem):
    status, reply = TARGETS[target]("POST", path, JSON, body)
    error = json.loads(reply)["error"]
    assert (status, error["code"], error["type"]) == (400, 400, "invalid_request_error")
    assert problem in error["message"] and "\n" not in error["message"]


@pytest.mark.parametrize("target", list(TARGETS))
def test_a_surrogate_pair_and_a_byte_order_mark_are_fine(target):
    body = "\ufeff".encode() + TOOL.replace(b"@", b'"\\ud83d\\ude00 \xc3\xa9"')
    status, reply = TARGETS[target]("POST", "/invoke", JSON, body)
    assert status == 200
    assert json.loads(reply.splitlines()[-1])["output"] == {"message": "😀 é"}


def test_nesting_up_to_the_limit_parses():
    assert parse_json(nested(MAX_DEPTH))
    with pytest.raises(BadRequest, match="nests deeper"):
        parse_json(nested(MAX_DEPTH + 1))


def test_a_str_body_with_raw_surrogates_is_refused_too():
    # The worker parses an SQS record's body, a str: it may hold what bytes cannot.
    with pytest.raises(BadRequest, match="lone surrogate"):
        parse_json('{"message": "\ud800"}')
    assert parse_json('{"message": "\U0001f600"}') == {"message": "😀"}


def test_numbers_that_fit_stay_numbers():
    data = parse_json(b'{"a": 1e308, "b": -0.0, "c": ' + b"9" * 100 + b', "d": 12345678901234567890}')
    assert data["a"] == 1e308 and data["c"] == int("9" * 100) and data["d"] == 12345678901234567890
