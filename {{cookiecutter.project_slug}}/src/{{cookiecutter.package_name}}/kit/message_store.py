"""The message store: one DynamoDB item per queued message, keyed by its ``response_uuid``.

An item goes ``queued`` (``send_message`` put it on the queue) -> ``in_progress`` (a worker
claimed it) -> ``answered`` (the reply is kept) or ``failed`` (the error is kept; SQS tries
again). The worker claims a message with a conditional write before it runs the agent, so
however often SQS delivers it, and under however many message ids, one run answers it. A
claim lasts until the claiming invocation's deadline: a worker that died leaves a claim that
expires with the function timeout, and the next delivery runs. Items expire
``MESSAGES_TTL_DAYS`` after their last change (DynamoDB's TTL on ``expires_at``).

Calls go through ``aws_api`` (SigV4 on the standard library), so every flavor claims the same
way and none pays for boto3. The function needs ``dynamodb:GetItem``, ``PutItem`` (to record
a queued message) and ``UpdateItem`` (to claim and answer one) on this table only.
"""

from __future__ import annotations

import re
import time
from collections import namedtuple

from .aws_api import AwsError, call
from .errors import ApiError, NotFound
from .logs import get_logger
from .payloads import MAX_RESPONSE_UUID
from .settings import Settings

log = get_logger(__name__)

QUEUED, IN_PROGRESS, ANSWERED, FAILED = "queued", "in_progress", "answered", "failed"
TARGET = "DynamoDB_20120810"
# An item holds at most 400 KB; a longer reply is kept cut to this many UTF-8 bytes.
MAX_REPLY_BYTES = 300_000
MAX_ERROR_CHARS = 1_000
# How long a claim lasts when the invocation's deadline is unknown: Lambda's longest timeout.
LONGEST_LEASE_S = 900
DAY_S = 86_400
# What GET /api/v1/messages/{response_uuid} shows of an item, in this order.
PUBLIC = (
    "response_uuid",
    "status",
    "queued_at",
    "started_at",
    "answered_at",
    "failed_at",
    "updated_at",
    "attempts",
    "reply",
    "reply_truncated",
    "error",
    "delivery",
)


class NotConfigured(ApiError):
    """The route needs the message store and this function has none."""

    status = 501
    kind = "not_configured_error"


# ``outcome``: "run" (this worker holds the claim), "answered" (nothing to do) or "busy"
# (another worker holds a live claim). ``token`` names this worker's claim.
Claim = namedtuple("Claim", ["outcome", "token", "item"])


def store_for(settings: Settings) -> MessageStore | None:
    """The store the settings name, or None without ``MESSAGES_TABLE``."""
    if not settings.messages_table:
        return None
    return MessageStore(settings.messages_table, settings.messages_ttl_days)


def read(response_uuid: str, settings: Settings) -> dict:
    """What ``GET /api/v1/messages/{response_uuid}`` answers."""
    store = store_for(settings)
    if store is None:
        raise NotConfigured(
            "the message store is not configured: set MESSAGES_TABLE to the DynamoDB table "
            "that keeps queued messages"
        )
    if not 0 < len(response_uuid) <= MAX_RESPONSE_UUID or not response_uuid.isprintable():
        raise NotFound("no message has this response_uuid")
    item = store.get(response_uuid)
    if item is None:
        raise NotFound("no message has this response_uuid")
    return {name: item[name] for name in PUBLIC if name in item}


def _now_iso(now: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))


def _value(value: object) -> dict:
    """A Python value in DynamoDB's JSON (strings, whole numbers, booleans, maps of them)."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float):
        return {"N": str(value)}
    if isinstance(value, dict):
        return {"M": {key: _value(item) for key, item in value.items()}}
    return {"S": str(value)}


def _plain(value: dict) -> object:
    """A DynamoDB JSON value as Python."""
    kind, data = next(iter(value.items()))
    if kind == "N":
        return int(data) if data.lstrip("-").isdigit() else float(data)
    if kind == "M":
        return {key: _plain(item) for key, item in data.items()}
    if kind == "NULL":
        return None
    return data


def _cut(text: str, limit: int) -> tuple[str, bool]:
    data = text.encode()
    if len(data) <= limit:
        return text, False
    return data[:limit].decode("utf-8", "ignore"), True


class MessageStore:
    def __init__(self, table: str, ttl_days: int = 7) -> None:
        self.table = table
        self.ttl_s = ttl_days * DAY_S

    def _call(self, operation: str, payload: dict) -> dict:
        return call("dynamodb", f"{TARGET}.{operation}", {"TableName": self.table, **payload})

    @staticmethod
    def _key(response_uuid: str) -> dict:
        return {"response_uuid": {"S": response_uuid}}

    def _update(self, response_uuid: str, update: str, condition: str, values: dict) -> bool:
        """One conditional UpdateItem; False when ``condition`` does not hold.

        Attribute names are written ``#name`` and values ``:name`` in both expressions.
        """
        text = f"{update} {condition}"
        names = {f"#{name}": name for name in re.findall(r"#(\w+)", text)}
        try:
            self._call(
                "UpdateItem",
                {
                    "Key": self._key(response_uuid),
                    "UpdateExpression": update,
                    "ConditionExpression": condition,
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": {f":{key}": _value(value) for key, value in values.items()},
                },
            )
        except AwsError as problem:
            if problem.code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _set(self, response_uuid: str, fields: dict, condition: str, bound: dict, remove=()) -> bool:
        """SET each of ``fields`` (and REMOVE ``remove``) when ``condition`` holds."""
        update = "SET " + ", ".join(f"#{name} = :{name}" for name in fields)
        if remove:
            update += " REMOVE " + ", ".join(f"#{name}" for name in remove)
        return self._update(response_uuid, update, condition, {**fields, **bound})

    def get(self, response_uuid: str) -> dict | None:
        """The item as plain Python, read consistently; None when there is none."""
        found = self._call("GetItem", {"Key": self._key(response_uuid), "ConsistentRead": True})
        item = found.get("Item")
        return {name: _plain(value) for name, value in item.items()} if item else None

    def queued(self, response_uuid: str, message_id: str) -> None:
        """Record a message ``send_message`` queued, unless the store knows it already."""
        now = time.time()
        item = {
            "response_uuid": response_uuid,
            "status": QUEUED,
            "message_id": message_id,
            "queued_at": _now_iso(now),
            "updated_at": _now_iso(now),
            "expires_at": int(now) + self.ttl_s,
        }
        try:
            self._call(
                "PutItem",
                {
                    "Item": {name: _value(value) for name, value in item.items()},
                    "ConditionExpression": "attribute_not_exists(response_uuid)",
                },
            )
        except AwsError as problem:
            if problem.code != "ConditionalCheckFailedException":
                raise

    def claim(self, response_uuid: str, message_id: str, until: float) -> Claim:
        """Claim the message for one run until ``until`` (epoch seconds), if nobody answered it
        and no live claim holds it."""
        import uuid  # only for queued messages

        token, now = uuid.uuid4().hex, time.time()
        values = {
            "status": IN_PROGRESS,
            "claim": token,
            "claim_expires_at": int(until) + 1,
            "message_id": message_id,
            "started_at": _now_iso(now),
            "updated_at": _now_iso(now),
            "expires_at": int(now) + self.ttl_s,
        }
        sets = [f"#{name} = :{name}" for name in values]
        # How many runs the message took; when it was queued, if send_message did not say.
        sets += ["#attempts = if_not_exists(#attempts, :zero) + :one"]
        sets += ["#queued_at = if_not_exists(#queued_at, :started_at)"]
        update = "SET " + ", ".join(sets)
        condition = (
            "attribute_not_exists(#response_uuid) OR #status IN (:queued, :failed)"
            " OR (#status = :in_progress AND #claim_expires_at < :now)"
        )
        bound = {"queued": QUEUED, "failed": FAILED, "in_progress": IN_PROGRESS, "now": int(now)}
        bound |= {"zero": 0, "one": 1}
        if self._update(response_uuid, update, condition, {**bound, **values}):
            return Claim("run", token, None)
        item = self.get(response_uuid) or {}
        if item.get("claim") == token:  # our write landed, and its reply was lost on the way back
            return Claim("run", token, item)
        if item.get("status") == ANSWERED:
            return Claim("answered", token, item)
        return Claim("busy", token, item)

    def answered(self, response_uuid: str, token: str, reply: str, delivery: str) -> bool:
        """Keep the reply, while the claim is still this worker's; False when it is not."""
        now = time.time()
        text, truncated = _cut(reply, MAX_REPLY_BYTES)
        values = {
            "status": ANSWERED,
            "reply": text,
            "answered_at": _now_iso(now),
            "updated_at": _now_iso(now),
            "expires_at": int(now) + self.ttl_s,
            "delivery": {"status": delivery},
        }
        if truncated:
            values["reply_truncated"] = True
        remove = ("claim", "claim_expires_at", "error")
        return self._set(response_uuid, values, "#claim = :token", {"token": token}, remove)

    def failed(self, response_uuid: str, token: str, error: str) -> bool:
        """Keep the error and release the claim, so the next delivery runs again."""
        now = time.time()
        values = {
            "status": FAILED,
            "error": error[:MAX_ERROR_CHARS] or "agent failed",
            "failed_at": _now_iso(now),
            "updated_at": _now_iso(now),
            "expires_at": int(now) + self.ttl_s,
        }
        remove = ("claim", "claim_expires_at")
        return self._set(response_uuid, values, "#claim = :token", {"token": token}, remove)

    def delivered(self, response_uuid: str, delivery: dict) -> None:
        """Record how the delivery to the caller's ``stream_url`` went."""
        now = time.time()
        values = {"delivery": delivery, "updated_at": _now_iso(now)}
        self._set(response_uuid, values, "attribute_exists(#response_uuid)", {})
