"""A local endpoint on 127.0.0.1 that answers Bedrock ``ConverseStream`` calls.

It speaks the real wire format (``application/vnd.amazon.eventstream`` frames with CRCs),
so boto3 sends real requests and parses real responses. The model id picks the
behaviour: ``ok``, ``fail-midway`` (an exception frame after two words), ``slow``, ``denied``,
``tool-user`` (two ``toolUse`` blocks in one turn, their input streamed in JSON pieces; once the
``toolResult`` blocks are in, an answer quoting them). ``inferenceConfig.maxTokens`` counts words.
"""

from __future__ import annotations

import json
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote


def _header(name: str, value: str) -> bytes:
    name_bytes, value_bytes = name.encode(), value.encode()
    return bytes([len(name_bytes)]) + name_bytes + b"\x07" + struct.pack(">H", len(value_bytes)) + value_bytes


def frame(kind: str, payload: dict, exception: bool = False) -> bytes:
    """One event-stream message: prelude, headers, JSON payload, CRCs."""
    type_header = ":exception-type" if exception else ":event-type"
    headers = (
        _header(type_header, kind)
        + _header(":content-type", "application/json")
        + _header(":message-type", "exception" if exception else "event")
    )
    body = json.dumps(payload).encode()
    prelude = struct.pack(">II", 12 + len(headers) + len(body) + 4, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    message = prelude + headers + body
    return message + struct.pack(">I", zlib.crc32(message))


class BedrockHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        model = unquote(self.path.split("/")[2])
        self.server.requests.append({"path": self.path, "model": model, "body": body})
        if model == "denied":
            error = json.dumps({"message": "no access to this model"}).encode()
            self.send_response(403)
            self.send_header("x-amzn-ErrorType", "AccessDeniedException")
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(error)))
            self.end_headers()
            self.wfile.write(error)
            return
        if model == "slow":
            time.sleep(self.server.slow_seconds)
        self.send_response(200)
        self.send_header("content-type", "application/vnd.amazon.eventstream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        self._send(frame("messageStart", {"role": "assistant"}))
        if model == "tool-user":
            self._tool_user(body["messages"][-1]["content"])
            return
        words = body["messages"][-1]["content"][0]["text"].split(" ")
        limit = body.get("inferenceConfig", {}).get("maxTokens") or len(words)
        stop_reason = "max_tokens" if limit < len(words) else "end_turn"
        words = words[:limit]
        for index, word in enumerate(words):
            if index == 2 and model == "fail-midway":
                problem = {"message": "model stream broke"}
                self._send(frame("modelStreamErrorException", problem, exception=True))
                break
            piece = word if index == 0 else f" {word}"
            self._send(frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": piece}}))
            time.sleep(0.01)
        else:
            self._send(frame("messageStop", {"stopReason": stop_reason}))
        self._end()

    def _tool_user(self, last_turn: list[dict]) -> None:
        results = [block["toolResult"] for block in last_turn if "toolResult" in block]
        if results:
            answer = "Results: " + " ".join(r["content"][0]["text"] for r in results)
            self._send(frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": answer}}))
            self._send(frame("messageStop", {"stopReason": "end_turn"}))
            self._end()
            return
        self._send(frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Checking."}}))
        self._send(frame("contentBlockStop", {"contentBlockIndex": 0}))
        calls = [
            (1, "tooluse_a", "echo", ['{"message": ', '"one"}']),
            (2, "tooluse_b", "slow_process", ['{"message": "tw', 'o", "steps": 1, ', '"delay_ms": 0}']),
        ]
        for index, tool_id, name, pieces in calls:
            start = {"toolUse": {"toolUseId": tool_id, "name": name}}
            self._send(frame("contentBlockStart", {"contentBlockIndex": index, "start": start}))
            for piece in pieces:
                delta = {"toolUse": {"input": piece}}
                self._send(frame("contentBlockDelta", {"contentBlockIndex": index, "delta": delta}))
            self._send(frame("contentBlockStop", {"contentBlockIndex": index}))
        self._send(frame("messageStop", {"stopReason": "tool_use"}))
        self._end()

    def _end(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _send(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


class BedrockServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, slow_seconds: float = 3.0) -> None:
        super().__init__(("127.0.0.1", 0), BedrockHandler)
        self.requests: list[dict] = []
        self.slow_seconds = slow_seconds

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> BedrockServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
