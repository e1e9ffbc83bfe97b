"""The model provider as tests reach it: the echo agent needs no server."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager

# The environment that points the function at its model, and the requests the model got
# (None: the echo model runs in the function itself).
Provider = namedtuple("Provider", ["env", "requests"])


@contextmanager
def serving() -> Iterator[Provider]:
    yield Provider({"LLM_PROVIDER": "echo", "ECHO_DELAY_MS": "0"}, None)
