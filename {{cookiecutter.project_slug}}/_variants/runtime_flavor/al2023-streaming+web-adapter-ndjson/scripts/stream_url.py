"""Call a streaming Function URL (or API Gateway endpoint) and print the response as it arrives.

    python scripts/stream_url.py https://<id>.lambda-url.<region>.on.aws/invoke \\
        --data '{"tool": "slow_process", "arguments": {"message": "hi", "steps": 5}}'

Requests are signed with SigV4 from the usual AWS credential chain (environment, profile,
SSO), as an AWS_IAM Function URL or an IAM-authorized API Gateway route requires: for the service
``lambda``, or ``execute-api`` when the host is an API Gateway one
(``<id>.execute-api.<region>.amazonaws.com``; ``--service`` says so for any other host).
``--no-sign`` skips signing for a public URL (``--api-key`` sends a key instead).
``--timing`` writes each chunk's arrival time to stderr.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.session import Session

URL_REGION = re.compile(r"\.(?:lambda-url\.([a-z0-9-]+)\.on\.aws|execute-api\.([a-z0-9-]+)\.amazonaws\.com)$")
SERVICES = ("lambda", "execute-api")


class UsageError(Exception):
    """Bad input: reported as one line."""


def region_of(url: str, given: str | None = None) -> str:
    if given:
        return given
    match = URL_REGION.search(urlsplit(url).hostname or "")
    if match:
        return match.group(1) or match.group(2)
    session_region = Session().get_config_variable("region")
    if session_region:
        return session_region
    raise UsageError(f"cannot tell the region of {url}; pass --region")


def service_of(url: str, given: str | None = None) -> str:
    """The service a signature is for: API Gateway's hosts are ``execute-api``, others ``lambda``."""
    if given:
        return given
    return "execute-api" if ".execute-api." in (urlsplit(url).hostname or "") else "lambda"


def signed_headers(
    method: str, url: str, body: bytes, region: str, headers: dict, service: str = "lambda"
) -> dict[str, str]:
    """The headers with a SigV4 signature for ``service`` added."""
    credentials = Session().get_credentials()
    if credentials is None:
        raise UsageError("no AWS credentials found; set AWS_PROFILE or AWS_ACCESS_KEY_ID, or pass --no-sign")
    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    SigV4Auth(credentials.get_frozen_credentials(), service, region).add_auth(request)
    return dict(request.headers.items())


def stream(
    url: str,
    body: bytes | None,
    *,
    sign: bool = True,
    region: str | None = None,
    api_key: str | None = None,
    service: str | None = None,
) -> Iterator[tuple[int, dict[str, str], bytes]]:
    """Yield (status, response headers, chunk) for each chunk as it is read off the socket."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"not an http(s) URL: {url!r}")
    method = "POST" if body is not None else "GET"
    headers = {"host": parts.netloc, "accept": "application/x-ndjson, text/event-stream, application/json"}
    if body is not None:
        headers["content-type"] = "application/json"
    if api_key:
        headers["x-api-key"] = api_key
    if sign:
        signing = region_of(url, region), headers, service_of(url, service)
        headers = signed_headers(method, url, body or b"", *signing)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=900)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response_headers = {k.lower(): v for k, v in response.getheaders()}
        while chunk := response.read1(65536):
            yield response.status, response_headers, chunk
    finally:
        connection.close()


def read_body(data: str | None) -> bytes | None:
    if data is None:
        return None
    if data.startswith("@"):
        try:
            with open(data[1:], "rb") as file:
                return file.read()
        except OSError as problem:
            raise UsageError(f"cannot read {data[1:]}: {problem.strerror}") from None
    return data.encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the Function URL or API URL with the route, e.g. https://.../invoke")
    parser.add_argument("--data", help="JSON body (or @file); sends a POST")
    parser.add_argument("--region", help="signing region (default: from the URL)")
    parser.add_argument("--service", choices=SERVICES, help="signing service (default: from the URL host)")
    parser.add_argument("--api-key", help="sent as x-api-key")
    parser.add_argument("--no-sign", action="store_true", help="do not sign (public URL)")
    parser.add_argument("--timing", action="store_true", help="print each chunk's arrival time to stderr")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    last_status = 0
    try:
        body = read_body(args.data)
        chunks = stream(
            args.url,
            body,
            sign=not args.no_sign,
            region=args.region,
            api_key=args.api_key,
            service=args.service,
        )
        for status, _, chunk in chunks:
            last_status = status
            if args.timing:
                elapsed_ms = (time.perf_counter() - started) * 1000
                print(f"[{elapsed_ms:8.1f} ms] {len(chunk)} bytes", file=sys.stderr)
            sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
    except UsageError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except OSError as problem:
        print(f"error: cannot reach {args.url}: {problem}", file=sys.stderr)
        return 1
    if last_status >= 400:
        print(f"\nerror: HTTP {last_status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
