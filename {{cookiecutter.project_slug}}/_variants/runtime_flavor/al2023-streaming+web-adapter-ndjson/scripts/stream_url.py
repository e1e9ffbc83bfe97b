"""Stream a reply from a deployed Function URL, printing each chunk the moment it arrives.

    python scripts/stream_url.py https://<id>.lambda-url.<region>.on.aws/invoke \\
        '{"tool": "slow_process", "arguments": {"message": "hi"}}'

IAM-auth URLs are signed with botocore's SigV4 (service ``lambda``) from your usual AWS
credentials; ``--no-sign`` sends the request unsigned (auth type NONE, with ``--api-key``).
Status and content type go to stderr, the body to stdout.
"""

from __future__ import annotations

import argparse
import http.client
import sys
from typing import TextIO
from urllib.parse import urlsplit

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest


def region_of(host: str, fallback: str | None) -> str | None:
    """``<id>.lambda-url.<region>.on.aws`` names its region."""
    labels = host.split(".")
    if len(labels) > 2 and labels[1] == "lambda-url":
        return labels[2]
    return fallback


def signed_headers(
    method: str, url: str, body: bytes, headers: dict[str, str], region: str, credentials
) -> dict:
    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    SigV4Auth(credentials, "lambda", region).add_auth(request)
    return dict(request.headers.items())


def stream(url: str, body: bytes, headers: dict[str, str], out: TextIO | None = None) -> int:
    """Send the request and copy the reply to ``out`` as it arrives; 0 for a 2xx status."""
    out = out or sys.stdout
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.netloc, timeout=900)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    connection.request("POST" if body else "GET", path, body or None, headers)
    response = connection.getresponse()
    print(f"HTTP {response.status} {response.getheader('content-type', '')}", file=sys.stderr)
    while chunk := response.read1(65536):
        out.write(chunk.decode(errors="replace"))
        out.flush()
    return 0 if response.status < 400 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the Function URL with the route, e.g. https://.../invoke")
    parser.add_argument("body", nargs="?", default="", help="JSON request body (empty: GET)")
    parser.add_argument("--region", help="region to sign for (default: read from the URL)")
    parser.add_argument("--api-key", help="send this x-api-key header")
    parser.add_argument("--no-sign", action="store_true", help="do not sign (auth type NONE)")
    args = parser.parse_args(argv)
    if urlsplit(args.url).scheme not in ("http", "https"):
        parser.error(f"url must start with https://; got {args.url!r}")
    body = args.body.encode()
    headers = {"content-type": "application/json"} if body else {}
    if args.api_key:
        headers["x-api-key"] = args.api_key
    if not args.no_sign:
        session = botocore.session.get_session()
        credentials = session.get_credentials()
        if credentials is None:
            print("error: no AWS credentials found; configure them or pass --no-sign", file=sys.stderr)
            return 2
        region = region_of(
            urlsplit(args.url).hostname or "", args.region or session.get_config_variable("region")
        )
        if not region:
            print("error: cannot tell the region from the URL; pass --region", file=sys.stderr)
            return 2
        headers = signed_headers("POST" if body else "GET", args.url, body, headers, region, credentials)
    try:
        return stream(args.url, body, headers)
    except OSError as problem:
        print(f"error: {args.url}: {problem}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
