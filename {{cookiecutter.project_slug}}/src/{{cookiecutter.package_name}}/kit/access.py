"""Who may call: an optional source-IP allow-list and an optional API key."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable, Mapping
from functools import cache

from .errors import Forbidden, Unauthorized
from .secret_store import read_secret
from .settings import Settings


def fetch_api_key(settings: Settings) -> str:
    """Read the API key from where the settings say it lives (one AWS call at most)."""
    if settings.api_key_source == "env":
        return settings.api_key
    if settings.api_key_source == "secretsmanager":
        return read_secret(secret_id=settings.api_key_secret_id)
    if settings.api_key_source == "ssm":
        return read_secret(parameter=settings.api_key_parameter)
    return ""


def presented_key(headers: Mapping[str, str]) -> str:
    """The key a caller sent: ``x-api-key``, or ``Authorization: Bearer <key>``."""
    if headers.get("x-api-key"):
        return headers["x-api-key"]
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def gateway_authenticated(request_context: object) -> bool:
    """Whether API Gateway already authenticated the caller.

    Only a payload 1.0 proxy event's request context has ``resourcePath``; the gateway sets
    ``identity.apiKeyId`` once it has validated the caller's API key and
    ``identity.userArn`` once it has verified a SigV4 signature. Such a caller is not asked
    for this function's own key as well.
    """
    if not isinstance(request_context, dict) or "resourcePath" not in request_context:
        return False
    identity = request_context.get("identity")
    return isinstance(identity, dict) and bool(identity.get("apiKeyId") or identity.get("userArn"))


def source_ip(request_context: object) -> str | None:
    """The caller's address in a Lambda request context: ``http.sourceIp``, else ``identity.sourceIp``."""
    if not isinstance(request_context, dict):
        return None
    for part in ("http", "identity"):
        section = request_context.get(part)
        if isinstance(section, dict) and isinstance(section.get("sourceIp"), str):
            return section["sourceIp"]
    return None


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

    def check(self, headers: Mapping[str, str], source_ip: str | None, gateway_checked: bool = False) -> None:
        """Raise Forbidden or Unauthorized; return quietly when the caller may proceed.

        ``headers`` must have lowercase names. ``gateway_checked``: API Gateway has already
        authenticated the caller (see ``gateway_authenticated``), so the key is not asked for.
        """
        if self.settings.allowed_cidrs:
            try:
                address = ipaddress.ip_address(source_ip or "")
            except ValueError:
                raise Forbidden("caller address is unknown") from None
            if not any(address in network for network in self.settings.allowed_cidrs):
                raise Forbidden("caller address is not allowed")
        if self.settings.api_key_source != "none" and not gateway_checked:
            given = presented_key(headers)
            if not given:
                raise Unauthorized("missing API key; send it in the x-api-key header")
            import hmac  # only when a key is configured

            # Headers read from a Lambda event's JSON may hold lone surrogates: such a key is
            # just wrong, never an error.
            if not hmac.compare_digest(given.encode("utf-8", "surrogatepass"), self._expected_key()):
                raise Unauthorized("invalid API key")


@cache
def policy_for(settings: Settings) -> AccessPolicy:
    """One policy per settings object, so the key is fetched once per process."""
    return AccessPolicy(settings)
