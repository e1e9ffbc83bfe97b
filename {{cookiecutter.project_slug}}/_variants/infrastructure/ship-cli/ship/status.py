"""ship status and ship logs: read-only views of what is deployed."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from . import parts
from .aws import Aws, is_missing
from .errors import ShipError
from .plan import Plan
from .report import Report


def status(aws: Aws, plan: Plan, report: Report) -> bool:
    """Print each function's state, image and URL and the queues' depth; False if nothing is deployed."""
    identity = aws.identity()
    report.line(f"ship status {plan.name} in {plan.config.region} (account {identity.account})")
    lam, deployed = aws.client("lambda"), False
    for spec in plan.functions:
        name = plan.function_name(spec)
        try:
            found = lam.get_function(FunctionName=name)
        except ClientError as error:
            if not is_missing(error, "ResourceNotFoundException"):
                raise
            report.step("function", name, "not deployed")
            continue
        deployed = True
        config = found["Configuration"]
        state = f"{config.get('State', 'Active')}, last update {config.get('LastUpdateStatus', 'Successful')}"
        report.step("function", name, state, f"{config['MemorySize']} MB, {config['Timeout']} s")
        report.line(f"    image: {found.get('Code', {}).get('ImageUri', '?')}")
        if spec.url_invoke_mode:
            try:
                url = lam.get_function_url_config(FunctionName=name)
                report.step("  function url", url["FunctionUrl"], url["AuthType"], url.get("InvokeMode", ""))
            except ClientError as error:
                if not is_missing(error, "ResourceNotFoundException"):
                    raise
                report.step("  function url", name, "missing")
    for show in parts.hooks("status"):
        show(aws, plan, report)
    if plan.config.sqs_worker:
        sqs = aws.client("sqs")
        for queue in (plan.queue, plan.dead_letter_queue):
            try:
                url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
            except ClientError as error:
                if not is_missing(error, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"):
                    raise
                report.step("sqs queue", queue, "missing")
                continue
            names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
            depth = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
            detail = f"{depth.get(names[0], '?')} waiting, {depth.get(names[1], '?')} in flight"
            report.step("sqs queue", queue, "exists", detail)
        try:
            table = aws.client("dynamodb").describe_table(TableName=plan.messages_table)["Table"]
            report.step("dynamodb table", plan.messages_table, table["TableStatus"], "queued messages")
        except ClientError as error:
            if not is_missing(error, "ResourceNotFoundException"):
                raise
            report.step("dynamodb table", plan.messages_table, "missing")
    return deployed


def parse_since(text: str) -> int:
    """``10m``, ``2h``, ``1d`` or ``30s`` as milliseconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.isdigit():
        raise ShipError(f"--since {text!r} must be a number followed by s, m, h or d (e.g. 10m)")
    return int(number) * units[unit] * 1000


def logs(aws: Aws, plan: Plan, report: Report, since: str, tail: bool, polls: int | None = None) -> None:
    """Print the functions' log events, oldest first; with tail, keep polling until Ctrl-C."""
    client = aws.client("logs")
    start = int(time.time() * 1000) - parse_since(since)
    seen: set[str] = set()
    groups = {plan.log_group(plan.function_name(spec)): plan.function_name(spec) for spec in plan.functions}
    rounds = 0
    while True:
        events = []
        for group, function in groups.items():
            kwargs = {"logGroupName": group, "startTime": start}
            try:
                for page in client.get_paginator("filter_log_events").paginate(**kwargs):
                    events.extend((event, function) for event in page.get("events", []))
            except ClientError as error:
                if not is_missing(error, "ResourceNotFoundException"):
                    raise
                if rounds == 0:
                    report.line(f"(no log group {group} yet: deploy first)")
        for event, function in sorted(events, key=lambda item: item[0]["timestamp"]):
            if event["eventId"] in seen:
                continue
            seen.add(event["eventId"])
            start = max(start, event["timestamp"])
            moment = datetime.fromtimestamp(event["timestamp"] / 1000, UTC).strftime("%H:%M:%S")
            report.line(f"{moment} {function} {event['message'].rstrip()}")
        rounds += 1
        if not tail or (polls is not None and rounds >= polls):
            return
        time.sleep(aws.poll_seconds)
