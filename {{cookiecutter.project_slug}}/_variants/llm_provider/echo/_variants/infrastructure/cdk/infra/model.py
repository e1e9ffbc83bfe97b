"""The model the agent calls: none. The echo agent answers from the request alone, so the
functions need no model settings and no grant."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Stack
from aws_cdk import aws_iam as iam

from .context import Context

PROVIDER = "echo"


def read(context: Context) -> dict[str, str]:
    return {}


def access(
    stack: Stack, settings: Mapping[str, str], environment: dict[str, str]
) -> list[iam.PolicyStatement]:
    return []
