"""Generated requests through the real entry points: no input a client can send gets a 5xx.

Every reply must come back within a time bound, with a status below 500, a JSON error
body for every 4xx, and no traceback or source path in any body. ``fuzz_target`` (one per
runtime flavor) says how a request reaches the function. ``KIT_FUZZ_EXAMPLES`` sets the
number of requests per target and setting (default 50, so ``make check`` stays quick); the
status counts show with ``pytest -s``, and go to the JSON file ``KIT_FUZZ_REPORT`` names.
"""

import json
import os
import string
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Timeout
from pathlib import Path

import pytest
from fuzz_target import TARGETS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.kit.settings import get_settings

from conftest import load_event

EXAMPLES = int(os.environ.get("KIT_FUZZ_EXAMPLES", "50"))
REPLY_WITHIN_S = 5.0
# Small, so that bodies over the limit and nesting bombs under it are both cheap to make.
MAX_REQUEST_BYTES = 20_000
API_KEY = "fuzz-key-0123456789"
ROUTES = ["/health", "/v1/chat/completions", "/invoke", "/api/chat", "/api/v1/send_message"]
LEAKS = ("Traceback", 'File "', "/src/", ".py")

# --- request parts --------------------------------------------------------------------------

# Any text a JSON string can carry, lone surrogates included (escaped, they are valid JSON but not text).
surrogates = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
texts = st.one_of(st.text(max_size=30), surrogates, st.sampled_from(["", " ", "hello", "Traceback"]))
numbers = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 2**53 + 1, 10**99]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)
# A local address where nothing listens: a message's callback URLs fail at once, never wait.
NOWHERE = "http://127.0.0.1:9"


def field(valid):
    """A field's value: usually a valid one, else anything at all."""
    return st.one_of(valid, valid, values)


def body_of(*required, **optional):
    """An object with some of ``optional`` fields and, mostly, the ``required`` ones."""
    fields = dict(required)
    return st.fixed_dictionaries(fields, optional=optional) | st.fixed_dictionaries({}, optional=fields)


roles = st.sampled_from(["system", "developer", "user", "assistant", "tool", "robot", ""])
part = st.fixed_dictionaries({"type": st.sampled_from(["text", "image"]), "text": field(texts)})
message = body_of(("role", field(roles)), ("content", field(texts | st.lists(part, max_size=3))))
chat = body_of(
    ("messages", field(st.lists(message, max_size=3))),
    model=field(texts),
    stream=field(st.booleans()),
    temperature=field(numbers),
)
# Waits stay short: a valid delay_ms is at most 5 ms, larger ones are past the tool's range.
delays = st.one_of(st.integers(max_value=5), st.integers(min_value=60_001))
not_a_delay = values.filter(lambda v: not (type(v) is int and 5 < v <= 60_000))
arguments = body_of(
    ("message", field(texts)),
    steps=field(st.integers(-3, 105)),
    delay_ms=st.one_of(delays, not_a_delay),
)
tool = body_of(
    ("tool", field(st.sampled_from(["echo", "slow_process", "ctx", "", "x" * 65]))),
    arguments=st.one_of(arguments, not_a_delay.filter(lambda v: not isinstance(v, dict))),
)
# The AI SDK's chat body: UI messages whose parts are text, tool calls of earlier turns, or others.
ui_part = body_of(
    ("type", field(st.sampled_from(["text", "tool-echo", "dynamic-tool", "step-start", "data-x", "file"]))),
    text=field(texts),
    toolCallId=field(texts),
    toolName=field(texts),
    state=field(st.sampled_from(["output-available", "output-error", "input-available"])),
    input=field(st.just({"message": "m"})),
    output=values,
    errorText=field(texts),
)
ui_message = body_of(
    ("role", field(st.sampled_from(["user", "assistant", "system", "tool"]))),
    ("parts", field(st.lists(ui_part, max_size=3))),
    id=field(texts),
)
ui_chat = body_of(
    ("messages", field(st.lists(ui_message, max_size=3))),
    id=field(texts),
    trigger=field(st.sampled_from(["submit-message", "regenerate-message"])),
    messageId=field(texts),
)
fields_of_message = {name: field(st.just(value)) for name, value in load_event("send_message.json").items()}
fields_of_message |= {"url": st.just(NOWHERE), "stream_url": st.just(NOWHERE)}  # never elsewhere
send_message = body_of(
    ("message", field(texts)),
    response_uuid=field(st.one_of(texts, st.just("u" * 129), st.just("tab\there"))),
    **{name: valid for name, valid in fields_of_message.items() if name not in ("message", "response_uuid")},
)

# Literal JSON tokens json.dumps never writes, each dropped into a field (the @) of a real body.
TOKENS = [
    b"1e999999",
    b"-1e400",
    b"9" * 5000,
    b"NaN",
    b"-Infinity",
    b'"\\ud800"',
    b'"a\\udfff\\ud800b"',
    b'"\xed\xa0\x80"',
    b'"\xff\xfe"',
    b'"\\u0000\\ufffe\\uffff"',
    b'"\xef\xbf\xbe"',
]
holed = st.sampled_from(
    [
        b'{"messages": [{"role": "user", "content": @}]}',
        b'{"messages": [{"role": "user", "content": "hi"}], "model": @}',
        b'{"tool": "echo", "arguments": {"message": @}}',
        b'{"tool": "slow_process", "arguments": {"message": "m", "steps": @, "delay_ms": 0}}',
        b'{"tool": @}',
        b'{"message": @, "response_uuid": "r-1"}',
        b'{"message": "m", "response_uuid": @}',
        b"{@: 1}",
    ]
)
bombs = st.builds(
    lambda depth, shape: {
        "list": b"[" * depth + b"]" * depth,
        "object": b'{"a":' * depth + b"1" + b"}" * depth,
        "in a field": b'{"tool":"echo","arguments":{"message":"m","x":' + b"[" * depth + b"]" * depth + b"}}",
        "unclosed": b"[" * depth,
    }[shape],
    st.integers(1, 5000),
    st.sampled_from(["list", "object", "in a field", "unclosed"]),
)


def encoded(value, ascii_only):
    """JSON bytes, surrogates kept: escaped as \\ud800 (ascii_only) or as raw CESU-8 bytes."""
    text = json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)
    return text.encode("utf-8", "surrogatepass")


def json_body(value):
    return st.builds(encoded, value, st.booleans())


bodies = st.one_of(
    json_body(st.one_of(chat, tool, ui_chat, send_message, values)),
    st.builds(lambda hole, token: hole.replace(b"@", token), holed, st.sampled_from(TOKENS)),
    bombs,
    st.binary(max_size=64),
    st.just(b""),
    st.builds(lambda body: body + b" " * MAX_REQUEST_BYTES, st.just(b'{"message": "m"}')),
)
paths = st.one_of(
    st.sampled_from(ROUTES),
    st.sampled_from([route + "/" for route in ROUTES] + ["/", "/HEALTH", "//health", "/invoke/../health"]),
    st.text(string.ascii_letters + string.digits + "-._~%/", max_size=20).map(lambda p: "/" + p),
)
methods = st.sampled_from(["POST", "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "BREW"])
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x10FFFF, exclude_categories=["Cs"]))
odd_headers = st.fixed_dictionaries(
    {},
    optional={
        "content-type": st.sampled_from(
            ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
        )
        | header_text,
        "content-encoding": st.sampled_from(["gzip", "br"]),
        "x-api-key": st.sampled_from([API_KEY + "x", ""]) | header_text,
        "authorization": st.sampled_from(["Bearer", "Basic abc", "Bearer " + API_KEY.upper()]) | header_text,
        "x-amzn-request-context": st.sampled_from(["{", "[" * 3000, '{"http": {"sourceIp": 5}}']),
    },
)
# Mostly the right key (when keys are checked), so most requests get past the check.
headers = st.one_of(
    st.just({"x-api-key": API_KEY}),
    st.just({"authorization": f"Bearer {API_KEY}", "content-type": "application/json"}),
    odd_headers.map(lambda odd: {"x-api-key": API_KEY, **odd}),
    odd_headers,
)
# Mostly each route with its own method and a body shaped for it; else anything anywhere.
SHAPES = {
    "/health": values,
    "/v1/chat/completions": chat,
    "/invoke": tool,
    "/api/chat": ui_chat,
    "/api/v1/send_message": send_message,
}
routed = st.sampled_from(ROUTES).flatmap(
    lambda path: st.tuples(
        st.just("GET" if path == "/health" else "POST"),
        st.just(path),
        headers,
        st.one_of(json_body(SHAPES[path]), json_body(SHAPES[path]), bodies),
    )
)
requests = st.one_of(routed, routed, routed, st.tuples(methods, paths, headers, bodies))

# --- the test -------------------------------------------------------------------------------

SETTINGS = {"open": {}, "api-key": {"API_KEY_SOURCE": "env", "API_KEY": API_KEY}}


@pytest.fixture(params=list(SETTINGS))
def configured(request, environment):
    environment.setenv("MAX_REQUEST_BYTES", str(MAX_REQUEST_BYTES))
    for name, value in SETTINGS[request.param].items():
        environment.setenv(name, value)
    get_settings.cache_clear()
    return request.param


def strings_in(body: bytes) -> str:
    """The request's body and every string in it, decoded: what a reply may fairly echo."""
    found = [body.decode("utf-8", "replace")]
    try:
        pending = [json.loads(body)]
    except (ValueError, RecursionError):
        pending = []
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            found.extend(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return "".join(found) + "\n".join(found)


def check(method, sent: bytes, status: int, reply: bytes) -> None:
    assert status < 500, f"{status}: {reply[:300]!r}"
    if 400 <= status < 500 and method != "HEAD":
        error = json.loads(reply)["error"]
        assert isinstance(error["message"], str) and error["message"]
        assert isinstance(error["type"], str) and error["code"] == status
    text = reply.decode("utf-8", "replace")
    echoed = strings_in(sent)
    for leak in LEAKS:
        assert leak not in text or leak in echoed, f"{leak!r} in {reply[:300]!r}"


def record(name: str, counts: Counter, seconds: float) -> None:
    statuses = {str(status): counts[status] for status in sorted(counts)}
    print(f"\nfuzz {name}: {counts.total()} requests in {seconds:.1f} s, statuses {statuses}")
    if report := os.environ.get("KIT_FUZZ_REPORT"):
        path = Path(report)
        results = json.loads(path.read_text()) if path.exists() else {}
        results[name] = {"requests": counts.total(), "statuses": statuses, "seconds": round(seconds, 1)}
        path.write_text(json.dumps(results, indent=2) + "\n")


@pytest.mark.parametrize("target", list(TARGETS))
def test_no_request_gets_a_server_error(target, configured):
    send = TARGETS[target]
    # Outside the time bound: the first request may start a process and import the app.
    assert send("GET", "/health", {"x-api-key": API_KEY}, b"")[0] == 200
    counts = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,  # the bound below is on the reply, not on Hypothesis's bookkeeping
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(requests)
    def one_request(request):
        method, path, header_values, body = request
        started = time.monotonic()
        # A thread per request: one that hangs fails this example without holding up the next.
        pool = ThreadPoolExecutor(max_workers=1)
        try:
            status, reply = pool.submit(send, method, path, header_values, body).result(REPLY_WITHIN_S)
        except Timeout:
            pytest.fail(f"no whole reply within {REPLY_WITHIN_S} s to {method} {path} {body[:200]!r}")
        finally:
            pool.shutdown(wait=False)
        counts[status] += 1
        assert time.monotonic() - started < REPLY_WITHIN_S
        check(method, body, status, reply)

    started = time.monotonic()
    try:
        one_request()
    finally:
        record(f"{target}/{configured}", counts, time.monotonic() - started)
    assert counts.total() >= EXAMPLES
