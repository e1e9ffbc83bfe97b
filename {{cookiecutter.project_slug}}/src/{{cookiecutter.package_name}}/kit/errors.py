"""Errors that map to an HTTP status and a JSON body, the same on every route."""

from __future__ import annotations


class ApiError(Exception):
    status = 500
    kind = "server_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict:
        return error_body(self.status, self.message, self.kind)

    def headers(self) -> dict[str, str]:
        return {}


class BadRequest(ApiError):
    status = 400
    kind = "invalid_request_error"


class Unauthorized(ApiError):
    status = 401
    kind = "authentication_error"

    def headers(self) -> dict[str, str]:
        """How to authenticate, as every 401 must say: the API key as a bearer token (or ``x-api-key``)."""
        return {"www-authenticate": 'Bearer realm="agent"'}


class Forbidden(ApiError):
    status = 403
    kind = "permission_error"


class NotFound(ApiError):
    status = 404
    kind = "not_found_error"


class MethodNotAllowed(ApiError):
    status = 405
    kind = "invalid_request_error"


class PayloadTooLarge(ApiError):
    status = 413
    kind = "invalid_request_error"


class BadGateway(ApiError):
    status = 502
    kind = "upstream_error"


class GatewayTimeout(ApiError):
    """The reply could not be finished before the function times out."""

    status = 504
    kind = "timeout_error"


class UnsupportedEvent(ValueError):
    """A Lambda event this function has no handler for."""


def error_body(status: int, message: str, kind: str = "server_error") -> dict:
    return {"error": {"message": message, "type": kind, "code": status}}


INTERNAL_ERROR = error_body(500, "internal error; see the function logs", "server_error")
