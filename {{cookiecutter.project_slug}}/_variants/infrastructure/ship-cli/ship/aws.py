"""boto3 plumbing: one session, cached clients, error codes, and waiting for Lambda."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError, NoCredentialsError, PartialCredentialsError

from .errors import ShipError

RETRIES = BotoConfig(retries={"max_attempts": 8, "mode": "standard"})
CREDENTIAL_CODES = {
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
}


def code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


def message(error: ClientError) -> str:
    text = error.response.get("Error", {}).get("Message", "") or str(error)
    return " ".join(text.split())


def is_missing(error: ClientError, *codes: str) -> bool:
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code(error) in codes or (not codes and status == 404)


@dataclass(frozen=True)
class Identity:
    account: str
    partition: str
    arn: str


class Aws:
    """Clients for one region, made from one session (tests pass a session with event hooks)."""

    def __init__(self, region: str, session: boto3.session.Session | None = None, poll_seconds: float = 2.0):
        self.session = session or boto3.session.Session()
        self.region = region
        self.poll_seconds = poll_seconds
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service, region_name=self.region, config=RETRIES)
        return self._clients[service]

    def identity(self) -> Identity:
        """Who we are; the first call, so missing or rejected credentials fail here in one line."""
        try:
            found = self.client("sts").get_caller_identity()
        except (NoCredentialsError, PartialCredentialsError):
            raise ShipError(
                "no AWS credentials found: set AWS_PROFILE (after `aws sso login`) "
                "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            ) from None
        except ClientError as error:
            if code(error) in CREDENTIAL_CODES:
                raise ShipError(f"AWS rejected the credentials: {message(error)}") from None
            raise
        return Identity(account=found["Account"], partition=found["Arn"].split(":")[1], arn=found["Arn"])

    def wait_for_function(self, name: str, timeout_s: float = 600) -> dict:
        """Wait until the function is Active and its last update finished; fail on Failed."""
        lam = self.client("lambda")
        deadline = time.monotonic() + timeout_s
        while True:
            config = lam.get_function_configuration(FunctionName=name)
            state, update = config.get("State", "Active"), config.get("LastUpdateStatus", "Successful")
            if state == "Failed" or update == "Failed":
                reason = (
                    config.get("StateReason") or config.get("LastUpdateStatusReason") or "no reason given"
                )
                raise ShipError(f"function {name} failed to update: {reason}")
            if state == "Active" and update == "Successful":
                return config
            if time.monotonic() > deadline:
                raise ShipError(f"function {name} is still {state}/{update} after {timeout_s:.0f} s")
            time.sleep(self.poll_seconds)
