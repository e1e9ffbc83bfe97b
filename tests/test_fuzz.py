"""Each runtime flavor's kit survives its own HTTP fuzz test at full strength.

A kit's `make check` runs tests/entrypoint/test_fuzz.py with a few examples; here every flavor runs it
with KIT_FUZZ_EXAMPLES requests per entry point and setting, and the counts per status code
are printed (and kept in build/fuzz-<flavor>.json) so they can be quoted.
"""

from __future__ import annotations

import json
import time

import pytest

from conftest import DEFAULTS, ROOT, SHARED_VENV, bake, run_in

EXAMPLES = 500


@pytest.mark.parametrize("flavor", DEFAULTS["runtime_flavor"])
def test_no_generated_request_gets_a_server_error(cookies, monkeypatch, tmp_path, flavor):
    kit = bake(cookies, runtime_flavor=flavor)
    report = tmp_path / "fuzz.json"
    monkeypatch.setenv("KIT_FUZZ_EXAMPLES", str(EXAMPLES))
    monkeypatch.setenv("KIT_FUZZ_REPORT", str(report))
    python = str(SHARED_VENV / "bin" / "python")
    started = time.monotonic()
    run = run_in(kit, python, "-m", "pytest", "tests/entrypoint/test_fuzz.py", "-p", "no:cacheprovider", "-s")
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    results = json.loads(report.read_text())
    assert results, "the kit's fuzz test recorded no counts"
    for target, counts in results.items():
        assert counts["requests"] >= EXAMPLES, target
        assert all(int(status) < 500 for status in counts["statuses"]), (target, counts)
    summary = {"flavor": flavor, "seconds": round(seconds, 1), "targets": results}
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / f"fuzz-{flavor}.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\n{flavor}: {seconds:.1f} s")
    for target, counts in results.items():
        print(f"  {target}: {counts['requests']} requests, statuses {counts['statuses']}")
