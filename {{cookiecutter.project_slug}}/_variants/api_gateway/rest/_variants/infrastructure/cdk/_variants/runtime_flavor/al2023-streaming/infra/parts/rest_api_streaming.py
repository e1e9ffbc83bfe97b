"""The runtime streams REST API events only when told to: an event does not say it may stream."""

from __future__ import annotations

from aws_cdk import aws_iam as iam

from ..functions import FunctionFactory, Functions


def add(factory: FunctionFactory, functions: Functions, model_access: list[iam.PolicyStatement]) -> None:
    functions.http.add_environment("REST_API_STREAMING", "true")
