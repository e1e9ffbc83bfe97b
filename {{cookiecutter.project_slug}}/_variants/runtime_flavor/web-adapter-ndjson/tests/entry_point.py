"""How tests/entrypoint/test_routes.py reaches this function: the local stand-in for the Lambda Web
Adapter (scripts/local_adapter.py) turns the Lambda event into the request the adapter makes
of the server, and the server's answer into the proxy response."""

from local_adapter import invoke

__all__ = ["invoke"]
