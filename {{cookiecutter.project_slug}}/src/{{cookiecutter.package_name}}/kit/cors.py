"""Cross-origin calls from browser frontends, allowed by ``ALLOWED_ORIGINS``.

One place answers for each request, so no header is ever sent twice: behind a Function URL,
the URL's own CORS settings (deployed from the same ``ALLOWED_ORIGINS``) answer preflights
and add the headers, and the app stays out of it; everywhere else (``make dev``, API
Gateway) the app answers.
"""

from __future__ import annotations

from collections.abc import Sequence

# What the kit's routes take: JSON bodies, and the API key in either header.
ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "content-type, authorization, x-api-key"
MAX_AGE_S = "600"


def allowed(origin: str | None, origins: Sequence[str]) -> bool:
    return bool(origin) and ("*" in origins or origin in origins)


def headers(origin: str | None, origins: Sequence[str]) -> dict[str, str]:
    """The headers for an answer to ``origin``; none when it is not allowed."""
    if not allowed(origin, origins):
        return {}
    if "*" in origins:
        return {"access-control-allow-origin": "*"}
    return {"access-control-allow-origin": origin, "vary": "origin"}


def preflight_headers(origin: str | None, origins: Sequence[str]) -> dict[str, str]:
    """The answer to a preflight (``OPTIONS`` with ``access-control-request-method``)."""
    allow = headers(origin, origins)
    if not allow:
        return {}
    return {
        **allow,
        "access-control-allow-methods": ALLOW_METHODS,
        "access-control-allow-headers": ALLOW_HEADERS,
        "access-control-max-age": MAX_AGE_S,
    }


def is_preflight(method: str, request_headers) -> bool:
    """``request_headers``: a mapping with lowercase names."""
    return method == "OPTIONS" and "access-control-request-method" in request_headers
