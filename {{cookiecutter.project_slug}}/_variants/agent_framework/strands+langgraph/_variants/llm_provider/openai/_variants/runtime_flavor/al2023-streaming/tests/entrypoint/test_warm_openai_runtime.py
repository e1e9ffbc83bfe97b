"""Warm invocations through the real runtime: ``bootstrap`` in one process, the framework's OpenAI
chat model against the local Chat Completions stand-in, five requests one after the other."""

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

from lambda_standin import RuntimeApiServer

from chat_server import ChatServer
from conftest import http_event

ROOT = Path(__file__).resolve().parents[2]
TASK_PATH = os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests"), sysconfig.get_path("purelib")])


def test_five_warm_invocations_stream_tool_runs_from_one_runtime_process():
    with ChatServer() as chat:
        api = RuntimeApiServer().start()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHON": sys.executable,
            "TASK_PATH": os.pathsep.join(
                [str(ROOT / "src"), str(ROOT / "tests"), sysconfig.get_path("purelib")]
            ),
            "AWS_LAMBDA_RUNTIME_API": api.address,
            "AWS_DEFAULT_REGION": "{{ cookiecutter.aws_region }}",
            "LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": chat.base_url,
            "OPENAI_API_KEY": "sk-local-test",
            "AGENT_MODEL": "tool-user",
        }
        process = subprocess.Popen(
            [str(ROOT / "bootstrap"), "runtime_handlers.handler"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            body = {"messages": [{"role": "user", "content": "use your tools"}]}
            for _ in range(5):
                reply = api.invoke(http_event("/invoke", body), 60_000).wait(60)
                lines = [json.loads(line) for line in reply.http()[1].splitlines()]
                kinds = [line["type"] for line in lines]
                assert kinds[-1] == "result", lines[-1]
                assert [line["id"] for line in lines if line["type"] == "tool_call"] == ["call_a", "call_b"]
                assert lines[-1]["text"].startswith("Checking.Results:")
        finally:
            process.kill()
            process.communicate()
            api.shutdown()
            api.server_close()
    assert len(chat.requests) == 10  # two model calls a run, five runs
