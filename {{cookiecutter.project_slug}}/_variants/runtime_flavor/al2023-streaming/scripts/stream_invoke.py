"""Invoke the deployed function with response streaming and print each chunk as it arrives.

    python scripts/stream_invoke.py <function-name> [events/function_url.json]

Uses boto3 ``invoke_with_response_stream`` with your usual AWS credentials. A Function URL
event gets the reply a browser would: the HTTP prelude (status and headers) goes to stderr,
the body to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

HTTP_INTEGRATION = "application/vnd.awslambda.http-integration-response"
DELIMITER = b"\0" * 8


def print_stream(events: Iterable[dict], content_type: str, out: TextIO | None = None) -> int:
    """Copy PayloadChunk events to ``out``; 0 unless InvokeComplete reports an error."""
    out = out or sys.stdout
    pending = b"" if content_type == HTTP_INTEGRATION else None
    for event in events:
        if "PayloadChunk" in event:
            data = event["PayloadChunk"]["Payload"]
            if pending is not None:  # still reading the prelude
                pending += data
                end = pending.find(DELIMITER)
                if end < 0:
                    continue
                prelude = json.loads(pending[:end])
                print(f"HTTP {prelude.get('statusCode')} {prelude.get('headers', {})}", file=sys.stderr)
                data, pending = pending[end + len(DELIMITER) :], None
            out.write(data.decode(errors="replace"))
            out.flush()
        elif "InvokeComplete" in event:
            complete = event["InvokeComplete"]
            if complete.get("ErrorCode"):
                print(
                    f"\nerror: {complete['ErrorCode']}: {complete.get('ErrorDetails', '')}", file=sys.stderr
                )
                return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("function", help="function name or ARN (the stack output FunctionName)")
    parser.add_argument("event", nargs="?", type=Path, default=Path("events/function_url.json"))
    parser.add_argument("--region", help="AWS region (default: your configured one)")
    args = parser.parse_args(argv)
    try:
        payload = json.dumps(json.loads(args.event.read_text())).encode()
    except (OSError, ValueError) as problem:
        print(f"error: cannot read {args.event}: {problem}", file=sys.stderr)
        return 2
    import boto3  # only here: the helpers above are tested without it

    client = boto3.client("lambda", region_name=args.region)
    response = client.invoke_with_response_stream(FunctionName=args.function, Payload=payload)
    return print_stream(response["EventStream"], response.get("ResponseStreamContentType", ""))


if __name__ == "__main__":
    sys.exit(main())
