"""Routes this kit adds to the standard ones: none yet.

A route here is free of any web framework, like ``service``: every flavor's HTTP edge checks
access, reads the JSON body of a POST and answers ``Route.status`` with the dict that
``handle(body, path, headers)`` returns (errors as ``ApiError``). One with the method and path
of a standard route takes its place.
"""

from __future__ import annotations

from collections import namedtuple

Route = namedtuple("Route", ["method", "path", "status", "handle"])


def routes() -> tuple[Route, ...]:
    return ()


def path_key(path: str) -> str:
    """The route path that serves ``path`` (a route with ``{id}`` in it serves many)."""
    return path
