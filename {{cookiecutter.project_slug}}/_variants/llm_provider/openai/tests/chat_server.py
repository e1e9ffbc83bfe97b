"""A local OpenAI-compatible Chat Completions server on 127.0.0.1 for provider tests.

The requested model picks the behaviour: ``ok`` streams the words of the last user
message, ``fail-midway`` streams two words then an error object, ``drop-midway`` closes
the connection after two words, ``slow`` waits before answering. Requests are recorded.
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
        words = body["messages"][-1]["content"].split(" ")
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for index, word in enumerate(words):
            if index == 2 and model == "fail-midway":
                self._chunk(b'data: {"error": {"message": "model overloaded", "type": "server_error"}}\n\n')
                break
            if index == 2 and model == "drop-midway":
                self.wfile.write(b"5\r\nda")
                self.wfile.flush()
                self.close_connection = True
                return
            piece = word if index == 0 else f" {word}"
            chunk = {
                "id": "chatcmpl-local",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
            }
            self._chunk(b"data: " + json.dumps(chunk).encode() + b"\n\n")
            time.sleep(0.01)
        else:
            self._chunk(b"data: [DONE]\n\n")
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
