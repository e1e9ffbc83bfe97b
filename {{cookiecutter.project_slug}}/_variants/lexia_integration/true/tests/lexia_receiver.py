"""A local HTTP receiver on 127.0.0.1 standing in for Centrifugo and the Lexia API.

It records every request (path, headers, JSON body) and answers 200.
"""

from __future__ import annotations

from http_stub import HttpStub


class LexiaReceiver(HttpStub):
    def __init__(self) -> None:
        super().__init__(lambda request, reply: reply.json(200, {}))

    def published(self) -> list[dict]:
        """What reached Centrifugo's publish endpoint, in order."""
        return [post["body"]["data"] for post in self.requests if post["path"] == "/api/publish"]
