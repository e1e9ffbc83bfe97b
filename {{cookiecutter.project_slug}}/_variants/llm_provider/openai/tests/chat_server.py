"""A local OpenAI-compatible Chat Completions server on 127.0.0.1 for provider tests.

The requested model picks the behaviour: ``ok`` streams the words of the last user
message, ``fail-midway`` streams two words then an error object, ``drop-midway`` closes
the connection after two words, ``slow`` waits before answering, ``tool-user`` asks for two
tools in one turn (their arguments split across chunks, interleaved by index) and, once the
``tool`` messages are in, answers with their contents. ``max_tokens`` counts words.
Requests are recorded.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ChatHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.requests.append({"path": self.path, "headers": headers, "body": body})
        model = body["model"]
        if model == "slow":
            time.sleep(self.server.slow_seconds)
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        if model == "tool-user":
            self._tool_user(body["messages"])
            return
        words = body["messages"][-1]["content"].split(" ")
        limit = body.get("max_completion_tokens") or body.get("max_tokens") or len(words)
        finish = "length" if limit < len(words) else "stop"
        words = words[:limit]  # one word per token, as far as this server is concerned
        for index, word in enumerate(words):
            if index == 2 and model == "fail-midway":
                self._chunk(b'data: {"error": {"message": "model overloaded", "type": "server_error"}}\n\n')
                break
            if index == 2 and model == "drop-midway":
                self.wfile.write(b"5\r\nda")
                self.wfile.flush()
                self.close_connection = True
                return
            self._delta(model, {"content": word if index == 0 else f" {word}"})
            time.sleep(0.01)
        else:
            self._delta(model, {}, finish)
            self._chunk(b"data: [DONE]\n\n")
        self._end()

    def _tool_user(self, messages: list[dict]) -> None:
        if messages[-1]["role"] == "tool":
            results = [m["content"] for m in messages if m["role"] == "tool"]
            self._delta("tool-user", {"content": "Results:"})
            for result in results[-2:]:
                self._delta("tool-user", {"content": f" {result}"})
            self._delta("tool-user", {}, "stop")
        else:
            self._delta("tool-user", {"role": "assistant", "content": "Checking."})
            echo = {"name": "echo", "arguments": ""}
            slow = {"name": "slow_process", "arguments": '{"mess'}
            pieces = [
                (0, {"id": "call_a", "type": "function", "function": echo}),
                (1, {"id": "call_b", "type": "function", "function": slow}),
                (0, {"function": {"arguments": '{"message": '}}),
                (1, {"function": {"arguments": 'age": "two", "steps": 1, "delay_ms": 0}'}}),
                (0, {"function": {"arguments": '"one"}'}}),
            ]
            for index, piece in pieces:
                self._delta("tool-user", {"tool_calls": [{"index": index, **piece}]})
            self._delta("tool-user", {}, "tool_calls")
        self._chunk(b"data: [DONE]\n\n")
        self._end()

    def _delta(self, model: str, delta: dict, finish_reason: str | None = None) -> None:
        chunk = {
            "id": "chatcmpl-local",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        }
        self._chunk(b"data: " + json.dumps(chunk).encode() + b"\n\n")

    def _end(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


class ChatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, slow_seconds: float = 3.0) -> None:
        super().__init__(("127.0.0.1", 0), ChatHandler)
        self.requests: list[dict] = []
        self.slow_seconds = slow_seconds

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def __enter__(self) -> ChatServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
