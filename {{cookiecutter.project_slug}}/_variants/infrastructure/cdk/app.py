"""The CDK app: `make synth` writes the CloudFormation template to cdk.out/ offline,
`make deploy` deploys it.

Settings come from the context in cdk.json; override one for a run with `-c key=value`
(e.g. `make deploy CDK_ARGS="-c memory_mb=2048"`). cdk-nag's AwsSolutions checks run at
every synth: an unacknowledged finding stops it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import aws_cdk as cdk

from infra.checks import add_checks
from infra.config import ConfigError, StackConfig
from infra.stack import AgentStack

ROOT = Path(__file__).resolve().parent


def create_app(outdir: str | None = None, **context: str) -> tuple[cdk.App, AgentStack]:
    """The app and its one stack; cdk.json's context, with ``context`` over it, is the default,
    the CDK CLI's `-c` wins."""
    defaults = json.loads((ROOT / "cdk.json").read_text())["context"] | context
    app = cdk.App(context=defaults, outdir=outdir or os.environ.get("CDK_OUTDIR") or str(ROOT / "cdk.out"))
    config = StackConfig.from_context(app.node.try_get_context)
    stack = AgentStack(
        app,
        config.stack_name,
        config=config,
        env=cdk.Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=config.region),
    )
    add_checks(app)
    return app, stack


def main() -> int:
    try:
        app, stack = create_app()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        assembly = app.synth()
    except RuntimeError as error:
        if "ValidationFailed" not in str(error):
            raise
        print(
            "error: cdk-nag reported the findings above; fix them or acknowledge each with a reason",
            file=sys.stderr,
        )
        return 1
    print(f"wrote {Path(assembly.directory, stack.template_file)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
