"""The image: which one to deploy (pinned by digest), and ship build-push (docker build, login, push)."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from .aws import Aws, is_missing
from .errors import ShipError
from .plan import Plan
from .report import Report
from .steps import Steps

IMAGE_URI = re.compile(
    r"(?P<registry>(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?)"
    r"/(?P<repository>[a-z0-9][a-z0-9._/-]*)"
    r"(?::(?P<tag>\w[\w.-]{0,127})|@(?P<digest>sha256:[0-9a-f]{64}))"
)
PLATFORMS = {"arm64": "linux/arm64", "x86_64": "linux/amd64"}
Runner = Callable[..., subprocess.CompletedProcess]


def check_image_uri(requested: str, region: str) -> re.Match:
    """An ECR image URI in the deploy region, or one line saying what is wrong (before any AWS call)."""
    match = IMAGE_URI.fullmatch(requested)
    if not match:
        raise ShipError(
            f"--image {requested!r} is not an ECR image URI such as "
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag (Lambda runs images from ECR only)"
        )
    if match["region"] != region:
        raise ShipError(f"--image is in {match['region']}; Lambda needs it in {region}")
    return match


def resolve_image(aws: Aws, plan: Plan, repository_uri: str, requested: str | None) -> str | None:
    """The image to deploy as ``repo@sha256:...``, so a moved tag never changes a deployed function.

    Without --image: the newest image in the kit's repository, or None when it is empty.
    """
    ecr = aws.client("ecr")
    if not requested:
        images = []
        for page in ecr.get_paginator("describe_images").paginate(repositoryName=plan.repository):
            images.extend(page.get("imageDetails", []))
        if not images:
            return None
        newest = max(images, key=lambda image: image["imagePushedAt"])
        return f"{repository_uri}@{newest['imageDigest']}"
    match = check_image_uri(requested, plan.config.region)
    image_id = {"imageDigest": match["digest"]} if match["digest"] else {"imageTag": match["tag"]}
    try:
        found = ecr.describe_images(
            registryId=match["account"], repositoryName=match["repository"], imageIds=[image_id]
        )["imageDetails"]
    except ClientError as error:
        if is_missing(error, "ImageNotFoundException", "RepositoryNotFoundException"):
            raise ShipError(f"image {requested} is not in ECR; push it first (ship build-push)") from None
        return requested  # another account's registry we may not list: deploy it as given
    return f"{match['registry']}/{match['repository']}@{found[0]['imageDigest']}"


def image_tag(runner: Runner = subprocess.run) -> str:
    """A new tag per build: UTC time, plus the git commit when there is one."""
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    if not shutil.which("git"):
        return stamp
    head = runner(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    return f"{stamp}-{head.stdout.strip()}" if head.returncode == 0 and head.stdout.strip() else stamp


def build_push(aws: Aws, plan: Plan, report: Report, tag: str | None, runner: Runner = subprocess.run) -> str:
    if not shutil.which("docker"):
        raise ShipError(
            "docker is not installed or not on PATH: build-push needs it "
            "(or build the image elsewhere and run ship deploy --image <ECR image URI>)"
        )
    if runner(["docker", "info"], capture_output=True, check=False).returncode != 0:
        raise ShipError(
            "docker is installed but its daemon is not running: start Docker and run ship build-push again"
        )
    identity = aws.identity()
    report.line(f"ship build-push {plan.name} to {plan.config.region} (account {identity.account})")
    repository_uri = Steps(aws, plan, identity, report).repository()
    token = aws.client("ecr").get_authorization_token()["authorizationData"][0]
    user, _, password = base64.b64decode(token["authorizationToken"]).decode().partition(":")
    target = f"{repository_uri}:{tag or image_tag(runner)}"
    commands = [
        (["docker", "login", "--username", user, "--password-stdin", token["proxyEndpoint"]], password),
        # --provenance=false: Lambda refuses the image index that BuildKit attestations produce.
        (
            [
                "docker",
                "build",
                "--platform",
                PLATFORMS[plan.config.architecture],
                "--provenance=false",
                "-t",
                target,
                ".",
            ],
            None,
        ),
        (["docker", "push", target], None),
    ]
    for command, stdin in commands:
        report.line(f"$ {' '.join(command)}")
        run = runner(command, input=stdin, text=True, check=False)
        if run.returncode != 0:
            raise ShipError(f"`{' '.join(command[:2])}` failed (exit {run.returncode}); see its output above")
    report.line(f"pushed {target}")
    report.line("next: ship deploy   (deploys the newest image of the repository)")
    return target
