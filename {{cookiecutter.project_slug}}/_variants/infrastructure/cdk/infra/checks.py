"""cdk-nag's AwsSolutions checks, run at every synth.

An unacknowledged finding fails the synth (and so `make check`, `make synth` and
`make deploy`). Accept a finding only with ``acknowledge``, which keeps the reason next
to the construct it is about.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, Validations
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct


def add_checks(app: App) -> None:
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """Accept one AwsSolutions finding (e.g. ``AwsSolutions-SMG4``) on this construct, for this reason."""
    Validations.of(construct).acknowledge(Acknowledgment(id=rule, reason=reason))
