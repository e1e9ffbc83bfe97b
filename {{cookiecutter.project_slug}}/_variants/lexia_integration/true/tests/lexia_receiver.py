"""A local HTTP receiver on 127.0.0.1 standing in for Centrifugo and the Lexia API.

It records every POST (path, headers, JSON body) and answers 200.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RecordingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"null")
        with self.server.lock:
            headers = {name.lower(): value for name, value in self.headers.items()}
            self.server.posts.append({"path": self.path, "headers": headers, "body": body})
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


class LexiaReceiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), RecordingHandler)
        self.posts: list[dict] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def published(self) -> list[dict]:
        """What reached Centrifugo's publish endpoint, in order."""
        return [post["body"]["data"] for post in self.posts if post["path"] == "/api/publish"]

    def __enter__(self) -> LexiaReceiver:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
