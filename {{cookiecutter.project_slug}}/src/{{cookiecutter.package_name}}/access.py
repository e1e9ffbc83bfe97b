"""Who may call: an optional source-IP allow-list and an optional API key."""

from __future__ import annotations

import hmac
import ipaddress
import json
import threading
from collections.abc import Callable, Mapping
from functools import cache

from .errors import Forbidden, Unauthorized
from .settings import Settings


def fetch_api_key(settings: Settings) -> str:
    """Read the API key from where the settings say it lives (one AWS call at most)."""
    if settings.api_key_source == "env":
        return settings.api_key
    import boto3  # only on this path: most requests never need the SDK

    if settings.api_key_source == "secretsmanager":
        client = boto3.client("secretsmanager")
        secret = client.get_secret_value(SecretId=settings.api_key_secret_id)["SecretString"]
        return _key_from_secret(secret)
    if settings.api_key_source == "ssm":
        client = boto3.client("ssm")
        response = client.get_parameter(Name=settings.api_key_parameter, WithDecryption=True)
        return response["Parameter"]["Value"]
    return ""


def _key_from_secret(secret: str) -> str:
    """A secret is either the key itself or a JSON object with an ``api_key`` field."""
    try:
        data = json.loads(secret)
    except ValueError:
        return secret
    if isinstance(data, dict) and isinstance(data.get("api_key"), str):
        return data["api_key"]
    return secret


def presented_key(headers: Mapping[str, str]) -> str:
    """The key a caller sent: ``x-api-key``, or ``Authorization: Bearer <key>``."""
    if headers.get("x-api-key"):
        return headers["x-api-key"]
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


class AccessPolicy:
    """Checks a request's source IP and API key; the key is fetched once and kept."""

    def __init__(self, settings: Settings, fetch: Callable[[Settings], str] = fetch_api_key) -> None:
        self.settings = settings
        self._fetch = fetch
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def _expected_key(self) -> bytes:
        if self._key is None:
            with self._lock:
                if self._key is None:
                    key = self._fetch(self.settings)
                    if not key:
                        raise RuntimeError("the configured API key is empty")
                    self._key = key.encode()
        return self._key

    def check(self, headers: Mapping[str, str], source_ip: str | None) -> None:
        """Raise Forbidden or Unauthorized; return quietly when the caller may proceed.

        ``headers`` must have lowercase names.
        """
        if self.settings.allowed_cidrs:
            try:
                address = ipaddress.ip_address(source_ip or "")
            except ValueError:
                raise Forbidden("caller address is unknown") from None
            if not any(address in network for network in self.settings.allowed_cidrs):
                raise Forbidden("caller address is not allowed")
        if self.settings.api_key_source != "none":
            given = presented_key(headers)
            if not given:
                raise Unauthorized("missing API key; send it in the x-api-key header")
            if not hmac.compare_digest(given.encode(), self._expected_key()):
                raise Unauthorized("invalid API key")


@cache
def policy_for(settings: Settings) -> AccessPolicy:
    """One policy per settings object, so the key is fetched once per process."""
    return AccessPolicy(settings)
