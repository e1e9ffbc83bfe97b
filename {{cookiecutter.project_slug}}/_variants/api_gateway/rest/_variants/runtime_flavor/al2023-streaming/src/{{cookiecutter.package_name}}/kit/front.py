"""Which HTTP events get a streamed reply: a Function URL's, and a REST API's when its
integration streams (``REST_API_STREAMING=true``: the event itself does not tell). Any other
gets one buffered reply.
"""

from __future__ import annotations

from .router import is_function_url
from .settings import get_settings


def is_rest_api(event: dict) -> bool:
    """A REST API (payload 1.0) proxy event: only its request context has a resource path."""
    return "httpMethod" in event and "resourcePath" in (event.get("requestContext") or {})


def streams(event: dict) -> bool:
    return is_function_url(event) or (is_rest_api(event) and get_settings().rest_api_streaming)
