"""Run ship against a real moto server on 127.0.0.1, as it would run against AWS.

moto stores what it is sent but does not validate enum values (InvokeMode, FunctionResponseTypes)
nor the Function URL permission conditions, so tests assert the requests boto3 sent, recorded with
botocore event hooks.

Each deploy costs moto about a second, so the tests that only read a deployment share one:
``shared_deployment()`` deploys the full configuration (public URL, API key secret, queue and
schedule) twice, once per test session, on a server process of its own; tests that need other
settings deploy under another name on the same server (``deploy_kit``).
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import functools
import io
import json
import logging
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer
from moto_fixes import fix_server, fix_session

from ship import parts
from ship.cli import main
from ship.config import load
from ship.flavor import FUNCTIONS
from ship.plan import Plan

ROOT = Path(__file__).resolve().parents[1]
KIT = tomllib.loads((ROOT / "ship.toml").read_text())
NAME = KIT["name"]
REGION = KIT["region"]
MUTATING = ("Create", "Put", "Update", "Add", "Delete", "Remove", "Set", "Tag", "Restore")
MANIFEST = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {
        "mediaType": "application/vnd.docker.container.image.v1+json",
        "size": 1,
        "digest": "sha256:" + "c" * 64,
    },
}
FULL = {
    "function_url_auth": "NONE",
    "api_key_source": "secretsmanager",
    "sqs_worker": True,
    "schedule_expression": "rate(5 minutes)",
    "timeout_s": 120,
    "memory_mb": 2048,
}
# A variable of the user's, with a name that marks it secret (masked when printed).
USER_SECRET = ("PARTNER_API_TOKEN", "tok-test-0123456789abcdef")
FULL_ARGS = ("deploy", "--env", "LOG_LEVEL=DEBUG")


def start_server() -> tuple[ThreadedMotoServer, str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    fix_server()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


class Recorder:
    """A boto3 session that records every request's parameters and can fail one operation once."""

    def __init__(self):
        self.calls: list[tuple[str, str, dict]] = []
        self.fail_once: set[str] = set()
        self.session = boto3.session.Session()
        self.session.events.register("provide-client-params.*.*", self.record)
        self.session.events.register("before-call.*.*", self.inject)
        fix_session(self.session)

    def record(self, params, model, **_):
        self.calls.append((model.service_model.service_name, model.name, copy.deepcopy(params)))

    def inject(self, model, **_):
        if model.name in self.fail_once:
            self.fail_once.discard(model.name)
            error = {"Error": {"Code": "ServiceUnavailable", "Message": "injected outage"}}
            raise ClientError(error, model.name)

    def sent(self, operation: str) -> list[dict]:
        return [params for _, name, params in self.calls if name == operation]

    def mutations(self) -> list[str]:
        return [name for _, name, _ in self.calls if name.startswith(MUTATING)]


def part_functions(name: str = NAME) -> list[str]:
    """The functions of the deployment's optional parts (ship/parts/), which ship deploys last."""
    return parts.function_names(Plan(replace(load(ROOT / "ship.toml"), name=name), FUNCTIONS))


def toml_value(value) -> str:
    """``value`` as TOML: JSON's spelling, except a table, which is inline: ``{"key" = value}``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(key)} = {toml_value(item)}" for key, item in value.items()) + "}"
    return json.dumps(value)


def write_config(folder: Path, **changes) -> None:
    settings = {**KIT, **changes}
    lines = [f"{key} = {toml_value(value)}" for key, value in settings.items()]
    (folder / "ship.toml").write_text("\n".join(lines) + "\n")


def push_image(client, tag: str = "v1", repository: str = NAME) -> str:
    """Put an image manifest in ECR (creating the repository as ship would); returns its digest."""
    ecr = client("ecr")
    with contextlib.suppress(ecr.exceptions.RepositoryAlreadyExistsException):
        ecr.create_repository(repositoryName=repository, tags=[{"Key": "ship:app", "Value": repository}])
    manifest = copy.deepcopy(MANIFEST)
    # moto derives the image digest from the layers: one layer per tag gives each tag its own image.
    layer = "sha256:" + tag.encode().hex().ljust(64, "0")[:64]
    manifest["layers"] = [
        {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1, "digest": layer}
    ]
    pushed = ecr.put_image(repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag)
    return pushed["image"]["imageId"]["imageDigest"]


def ship(recorder: Recorder, *argv: str) -> int:
    return main(list(argv), session=recorder.session, poll_seconds=0)


@dataclass
class Run:
    code: int
    recorder: Recorder
    out: str
    err: str


@dataclass
class Deployment:
    """One kit deployed on a moto server, run from a folder holding its ship.toml."""

    endpoint: str
    folder: Path
    name: str
    keep: object = None  # the temporary folder's handle: removed with it at exit
    digest: str = ""
    first: Run | None = None
    second: Run | None = None

    def client(self, service: str):
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def run(self, *argv: str) -> Run:
        recorder, out, err = Recorder(), io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(err):
            patch.setenv("AWS_ENDPOINT_URL", self.endpoint)
            patch.setenv("AWS_ACCESS_KEY_ID", "testing")
            patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
            patch.delenv("AWS_PROFILE", raising=False)
            patch.chdir(self.folder)
            code = main(list(argv), session=recorder.session, out=out, poll_seconds=0)
        return Run(code, recorder, out.getvalue(), err.getvalue())


def deploy_kit(endpoint: str, name: str, *argv: str, env_file: str = "", **settings) -> Deployment:
    """Push an image and deploy the kit under ``name`` twice with the same arguments."""
    handle = tempfile.TemporaryDirectory(prefix=f"ship-{name}-")
    folder = Path(handle.name)
    write_config(folder, name=name, **settings)
    if env_file:
        (folder / ".env.lambda").write_text(env_file)
    deployment = Deployment(endpoint, folder, name, keep=handle)
    deployment.digest = push_image(deployment.client, repository=name)
    deployment.first = deployment.run(*(argv or ("deploy",)))
    assert deployment.first.code == 0, deployment.first.err
    deployment.second = deployment.run(*(argv or ("deploy",)))
    assert deployment.second.code == 0, deployment.second.err
    return deployment


# moto keeps its state per process, and test_ship_moto resets its own in-process server before
# each test; the shared deployment lives in a process of its own, which ends when stdin closes.
SERVER_PROCESS = """
import logging, sys
from moto.server import ThreadedMotoServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)
sys.path.insert(0, sys.argv[1])
from moto_fixes import fix_server
fix_server()
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
"""


@functools.cache
def shared_server() -> str:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_PROCESS, str(Path(__file__).parent)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    atexit.register(process.kill)
    port = process.stdout.readline().strip()
    assert port.isdigit(), "the moto server did not start"
    return f"http://127.0.0.1:{port}"


@functools.cache
def shared_deployment() -> Deployment:
    """The full configuration, deployed twice; read by every test that only inspects it."""
    env_file = f"{USER_SECRET[0]}={USER_SECRET[1]}\nMODEL_NAME=echo\n"
    return deploy_kit(shared_server(), NAME, *FULL_ARGS, env_file=env_file, **FULL)
