"""The ship command line: parse flags, run one command, turn every failure into one line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn, TextIO

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from . import config as config_file
from .aws import Aws, code, message
from .deploy import deploy, print_outcome
from .destroy import destroy
from .envfile import parse_env_flags, read_env_file
from .errors import ShipError
from .flavor import FUNCTIONS
from .image import build_push, check_image_uri
from .plan import Plan, check_flavor, check_provider
from .report import Report
from .status import logs, status


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> Parser:
    parser = Parser(prog="ship", description="Build, push and deploy this kit to AWS Lambda, idempotently.")
    parser.add_argument("--config", default="ship.toml", help="settings file (default: ship.toml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("deploy", help="create or update every resource; safe to re-run")
    run.add_argument("--image", help="ECR image URI (default: the newest image ship build-push pushed)")
    run.add_argument("--memory", type=int, metavar="MB", help="memory for this run (default: ship.toml)")
    run.add_argument("--timeout", type=int, metavar="S", help="timeout for this run (default: ship.toml)")
    run.add_argument("--env-file", metavar="PATH", help="KEY=VALUE lines (default: .env.lambda if present)")
    run.add_argument(
        "--env", action="append", default=[], metavar="KEY=VALUE", help="one variable; repeatable"
    )

    commands.add_parser("status", help="what is deployed: functions, URL, queue depth")

    tail = commands.add_parser("logs", help="the functions' recent log events")
    tail.add_argument("--since", default="10m", help="how far back: 30s, 10m, 2h, 1d (default 10m)")
    tail.add_argument("--tail", action="store_true", help="keep printing new events until Ctrl-C")

    gone = commands.add_parser("destroy", help="delete everything ship created for this kit")
    gone.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    gone.add_argument("--keep-images", action="store_true", help="keep the ECR repository and its images")

    push = commands.add_parser("build-push", help="docker build, ECR login and push")
    push.add_argument("--tag", help="image tag (default: UTC time and git commit)")
    return parser


def user_environment(args: argparse.Namespace, settings: config_file.Config, base: Path) -> dict[str, str]:
    env: dict[str, str] = {}
    if args.env_file:
        env.update(read_env_file(Path(args.env_file)))
    elif settings.env_file and (base / settings.env_file).is_file():
        env.update(read_env_file(base / settings.env_file))
    env.update(parse_env_flags(args.env))
    return env


def confirm_destroy(args: argparse.Namespace, plan: Plan, stdin: TextIO) -> None:
    if args.yes:
        return
    if not stdin.isatty():
        raise ShipError(f"destroy deletes every resource ship created for {plan.name}; pass --yes to confirm")
    answer = input(f"Delete every resource ship created for {plan.name}? Type its name to confirm: ")
    if answer.strip() != plan.name:
        raise ShipError("not confirmed; nothing was deleted")


def run(args: argparse.Namespace, aws_session: boto3.session.Session | None, out: TextIO, poll: float) -> int:
    path = Path(args.config)
    settings = config_file.load(path)
    if args.command == "deploy":
        settings = settings.with_overrides(memory_mb=args.memory, timeout_s=args.timeout)
    check_flavor(FUNCTIONS)
    check_provider(settings)
    plan = Plan(settings, FUNCTIONS)
    report = Report(out)
    aws = Aws(settings.region, aws_session, poll_seconds=poll)
    if args.command == "deploy":
        env = user_environment(args, settings, path.resolve().parent)
        if args.image:
            check_image_uri(args.image, settings.region)
        print_outcome(report, deploy(aws, plan, report, args.image, env))
    elif args.command == "status":
        if not status(aws, plan, report):
            report.line("not deployed: run ship deploy")
    elif args.command == "logs":
        logs(aws, plan, report, args.since, args.tail)
    elif args.command == "destroy":
        confirm_destroy(args, plan, sys.stdin)
        destroy(aws, plan, report, keep_repository=args.keep_images)
    else:
        build_push(aws, plan, report, args.tag)
    return 0


def main(
    argv: list[str] | None = None,
    session: boto3.session.Session | None = None,
    out: TextIO | None = None,
    poll_seconds: float = 2.0,
) -> int:
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    try:
        return run(args, session, out, poll_seconds)
    except ShipError as error:
        print(f"error: {error}", file=sys.stderr)
    except NoCredentialsError:
        print("error: no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID", file=sys.stderr)
    except ClientError as error:
        operation = error.operation_name or "a call"
        again = (
            " Finished steps are kept: fix this and run ship deploy again."
            if args.command == "deploy"
            else ""
        )
        print(f"error: AWS refused {operation}: {code(error)}: {message(error)}.{again}", file=sys.stderr)
    except BotoCoreError as error:
        print(f"error: cannot talk to AWS: {error}", file=sys.stderr)
    except KeyboardInterrupt:
        if args.command == "logs":
            return 0  # Ctrl-C is how `ship logs --tail` ends
        print("interrupted", file=sys.stderr)
        return 130
    return 1
