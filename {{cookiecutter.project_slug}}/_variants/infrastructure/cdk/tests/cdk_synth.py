"""Synthesize the CDK app once per test session, offline.

The image asset is only staged into the assembly; Docker never runs. cdk-nag runs as part
of the synth, so a finding nobody acknowledged fails it here too.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from aws_cdk.assertions import Template

from app import create_app


@cache
def synthesized(**context: str) -> tuple[Template, Path]:
    """The stack's template with these context values over cdk.json's, and the assembly folder
    it was written to."""
    outdir = tempfile.mkdtemp(prefix="cdk-test-")
    atexit.register(shutil.rmtree, outdir, ignore_errors=True)
    app, stack = create_app(outdir=outdir, **context)
    assembly = app.synth()
    artifact = assembly.get_stack_artifact(stack.artifact_id)
    return Template.from_json(artifact.template), Path(outdir)
