"""The runs function is its image's entry point: it configures the log at cold start, so tool
progress and each run's outcome (INFO lines) reach CloudWatch."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_runs_handler_logs_at_info_from_its_cold_start():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LOG_LEVEL": "INFO", "LLM_PROVIDER": "echo"}
    loaded = subprocess.run(
        [sys.executable, "-c", "import {{ cookiecutter.package_name }}.kit.runs.handler"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    [line] = loaded.stdout.splitlines()
    entry = json.loads(line)
    assert (entry["level"], entry["message"]) == ("INFO", "cold start")
