"""Each kit speaks only of itself: bake every combination of the options that choose files and
fail on any word of an option value the kit does not have.

A kit is read as its user reads it, so no file may name a runtime flavor, an infrastructure, a
model provider or an integration the kit lacks, nor speak of the template that made it; the
README may name the alternatives in one "Other options" section only. Rendered YAML, TOML and
Makefiles must not hold whitespace-only lines either.

The answers that do not choose files (sqs_worker, schedule_expression, api_key_source,
function_url_auth, ...) stay at their defaults: every kit holds the queue and schedule code
whether or not it deploys a queue or a schedule, so they have no words of their own to ban.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import re
import runpy
import shutil
import tempfile
from pathlib import Path

import cookiecutter.generate
import cookiecutter.hooks
import jinja2
import pytest
from cookiecutter.environment import StrictEnvironment
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter as bake_kit

from conftest import DEFAULTS, ROOT

# What each option value is called in a kit that has it. A kit that did not choose any of a row's
# values must not contain any of its words. Words are regular expressions, case-sensitive
# unless marked (?i) (then written in lower case); the
# OpenAI-compatible protocol (/v1/chat/completions, protocols/openai.py, OpenAI SDK clients) is in
# every kit, so the openai row names the provider only.
WORDS: dict[tuple[str, tuple], tuple[str, ...]] = {
    ("runtime_flavor", ("mangum-container",)): (r"(?i)mangum",),
    ("runtime_flavor", ("al2023-streaming",)): (
        r"(?i)al2023",
        r"(?i)custom runtime",
        r"Runtime API",
        r"lambda_standin",
        r"stream_invoke\.py",
        r"`bootstrap`",
        r"/bootstrap\b",
        r"!bootstrap",
        r"\bbootstrap (file|script)",
        r"(?i)rest_api_streaming",
    ),
    ("runtime_flavor", ("web-adapter-ndjson",)): (
        r"(?i)web[ -]adapter",
        r"AWS_LWA_",
        r"\bLWA\b",
        r"local_adapter",
        r"adapter_env",
        r"WorkerFunction",
    ),
    ("runtime_flavor", ("al2023-streaming", "web-adapter-ndjson")): (
        r"RESPONSE_STREAM",
        r"stream_url\.py",
    ),
    ("infrastructure", ("sam",)): (
        r"\bSAM\b",
        r"\bsam (build|deploy|local|validate)\b",
        r"_sam_",
        r"template\.yaml",
        r"samconfig",
        r"AWS::Serverless",
    ),
    ("infrastructure", ("cdk",)): (r"(?i)cdk",),
    ("infrastructure", ("ship-cli",)): (
        r"(?i)\bship\b",
        r"ship\.toml",
        r"ship-cli",
        r"\bship_",
        r"_ship_",
    ),
    ("llm_provider", ("openai",)): (
        r"OPENAI_",
        r"openai_chat",
        r"chat_server",
        r"\bgpt-",
        r"api\.openai\.com",
        r"(?i)openai-api-key",
        r"(?i)llm_provider\W+openai",
        r"(?i)openai-compatible (endpoint|provider|server)",
        r"(?i)provider[ _-]?key",
    ),
    # A framework's own idioms; a kit of another framework (or of the kit's own loop) has none of them.
    ("agent_framework", ("builtin",)): (
        # the builtin's ToolContext (the Agents SDK has a ToolContext of its own, passed first)
        r"ctx: (tools\.)?ToolContext\)",
        r"`ToolContext`",
        r"class ToolContext\b",
        r"\bsend_status\b",
        r"ToolCancelled",
        r"kit\.agent\.tools import",
        r"\bstream_turn\b",
    ),
    ("agent_framework", ("pydantic-ai",)): (
        r"(?i)pydantic[ _-]ai",
        r"FunctionToolset",
        r"\bRunContext\b",  # the Agents SDK's RunContextWrapper is its own
        r"ctx\.emit",
        r"CustomEvent",
    ),
    ("llm_provider", ("bedrock",)): (
        r"(?i)bedrock",
        r"(?i)converse_?stream",
        r"\banthropic\.",
        r"InvokeModel(?!Stage)",  # Strands' InvokeModelStage is its model-call middleware stage
    ),
    ("lexia_integration", (True,)): (
        r"(?i)lexia",
        r"Centrifugo",
        r"STREAM_TOKEN",
        r"\bSTREAM_URL\b",
    ),
    # The deployed API, its settings and its local stand-in; the API Gateway event shapes the
    # handler accepts (events/apigw_v1.json, execute-api hosts) belong to every kit.
    ("api_gateway", ("rest",)): (
        r"## REST API",
        r"RestApi",
        r"(?i)usage ?plan",
        r"ApiKeyId",
        r"(?i)api_?(rate|burst)_?limit",
        r"(?i)api_?daily_?quota",
        r"(?i)rest_api_streaming",
        r"responseTransferMode",
        r"response-streaming-invocations",
        r"dev-rest",
        r"event.shape.rest",
    ),
    ("durable_runs", ("yes",)): (
        r"(?i)durable",
        r"/v1/runs",
        r"\bRUNS_",
        r"\bruns_",
        r"(?i)runs function",
        r"approval_tool",
        r"pending_approval",
        r"approve_run",
    ),
    # Each agent framework's own names; the builtin loop's are its tool context and status call.
    ("agent_framework", ("strands",)): (r"(?i)strands",),
    ("agent_framework", ("openai-agents",)): (
        r"(?i)openai[ _-]agents",
        r"(?i)agents sdk",
        r"\bfunction_tool\b",
        r"RunContextWrapper",
        r"(?<!\.)\breport_progress\b",  # ctx.report_progress is the MCP server SDK's
        r"\bRunProgress\b",
        r"\bRunner\.run",
        r"from agents import",
    ),
    ("agent_framework", ("langgraph",)): (r"(?i)langgraph", r"(?i)langchain", r"get_stream_writer"),
    # Words about the template rather than the kit, banned in every kit ("regenerate-message" is
    # an AI SDK chat trigger).
    ("template", ()): (
        r"(?i)cookiecutter(?!\.json)",
        r"(?i)\b_?variants?\b",
        r"(?i)\bregenerat(?!e-message)",
        r"(?i)\bevery kit\b",
        r"(?i)\bthe template's\b",
    ),
}

# The options that choose files; every combination of them is baked.
OPTIONS = (
    "runtime_flavor",
    "infrastructure",
    "llm_provider",
    "agent_framework",
    "lexia_integration",
    "api_gateway",
    "durable_runs",
)
CHOICES = {name: DEFAULTS[name] if isinstance(DEFAULTS[name], list) else [False, True] for name in OPTIONS}
# The answers record (for regenerating the kit) names every option by design.
EXEMPT = {".cookiecutter.json"}
DATA_FILES = re.compile(r"(\.ya?ml|\.toml|\.mk|(^|/)Makefile)$")
OTHER_OPTIONS = re.compile(r"^## Other options\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)


class Word:
    """One word of the table, compiled for a fast scan.

    sre finds a pattern that starts with a literal at C speed but tries a leading \\b at every
    position, so the scan looks for the word without it and checks the boundary at each candidate;
    a (?i) word, written in lower case, is looked for in the lowered text.
    """

    def __init__(self, row: str, word: str):
        self.row = row
        self.folded = word.startswith("(?i)")
        body = word.removeprefix("(?i)")
        assert not self.folded or re.sub(r"\\.", "", body).islower(), f"write {word!r} in lower case"
        self.full = re.compile(body)
        self.scan = re.compile(body.removeprefix(r"\b"))

    def find(self, text: str, lowered: str):
        """(start, end) of every place the word occurs."""
        subject = lowered if self.folded else text
        for candidate in self.scan.finditer(subject):
            match = self.full.match(subject, candidate.start())
            if match:
                yield match.span()


def row_label(option: str, values: tuple) -> str:
    return f"{option}={'+'.join(map(str, values))}" if values else option


TABLE = [Word(row_label(*key), word) for key, words in WORDS.items() for word in words]


@functools.cache
def banned(answers: tuple) -> list[Word]:
    """The words a kit with these answers must not hold."""
    chosen = dict(answers)
    rows = {row_label(*key) for key in WORDS if key[0] not in chosen or chosen[key[0]] not in key[1]}
    return [word for word in TABLE if word.row in rows]


def kit_text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None
    return data.decode()


def lowered(text: str) -> str:
    """The text in lower case, letter for letter (a few letters lower to two; those stay as they are)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) > 1 else c.lower() for c in text)


@functools.lru_cache(maxsize=200_000)
def spans(word: Word, text: str) -> tuple[tuple[int, int], ...]:
    """Where ``word`` occurs in ``text``: most files are the same in many kits, so each is scanned
    for each word once."""
    return tuple(word.find(text, lowered(text)))


def leaks(kit: Path, answers: tuple) -> list[str]:
    """Every banned word and whitespace-only data-file line in the kit, one line each."""
    words = banned(answers)
    found = []
    for path in sorted(kit.rglob("*")):
        name = path.relative_to(kit).as_posix()
        if not path.is_file() or name in EXEMPT:
            continue
        for word in words:
            for start, end in word.find(name, lowered(name)):
                found.append(f"{name}: file name: {name[start:end]!r} ({word.row})")
        text = kit_text(path)
        if text is None:
            continue
        allowed = []
        if name == "README.md":
            allowed = [section.span() for section in OTHER_OPTIONS.finditer(text)]
            if len(allowed) > 1:
                found.append(f"{name}: {len(allowed)} 'Other options' sections, at most one allowed")
        for word in words:
            for start, end in spans(word, text):
                if not any(first <= start < last for first, last in allowed):
                    line = text.count("\n", 0, start) + 1
                    found.append(f"{name}:{line}: {text[start:end]!r} ({word.row})")
        if DATA_FILES.search(name):
            found += [
                f"{name}:{number}: whitespace-only line"
                for number, line in enumerate(text.split("\n"), 1)
                if line and not line.strip()
            ]
    return found


@pytest.fixture(scope="module")
def quick_bakes():
    """Bake the same template hundreds of times at little more than the cost of rendering.

    Each bake builds a new Jinja environment, which would compile every template file again (most
    of a bake's time); the compiled code depends only on the source and the environment's
    settings, so it is kept for the module. Whether a template file is binary is asked once, the
    rendered hooks run in this interpreter rather than a new one each, and kits are written to
    memory (/dev/shm) where there is one.
    """

    def compile_once(self, source, name=None, filename=None, raw=False, defer_init=False):
        if not isinstance(source, str):
            return jinja2.Environment.compile(self, source, name, filename, raw, defer_init)
        settings = (self.trim_blocks, self.lstrip_blocks, self.keep_trailing_newline)
        key = (source, name, filename, raw, defer_init, settings)
        if key not in compiled:
            compiled[key] = jinja2.Environment.compile(self, source, name, filename, raw, defer_init)
        return compiled[key]

    def run_hook_here(script_path, cwd="."):
        try:
            with contextlib.chdir(cwd):
                runpy.run_path(script_path, run_name="__main__")
        except SystemExit as stop:
            if stop.code not in (None, 0):
                raise FailedHookException(f"Hook script failed (exit status: {stop.code})") from None
        finally:
            Path(script_path).unlink()

    compiled: dict = {}
    shm = Path("/dev/shm")
    scratch = Path(tempfile.mkdtemp(prefix="leaks-", dir=shm if shm.is_dir() else None))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(StrictEnvironment, "compile", compile_once)
        patch.setattr(cookiecutter.generate, "is_binary", functools.cache(cookiecutter.generate.is_binary))
        patch.setattr(cookiecutter.hooks, "run_script", run_hook_here)
        yield scratch
    shutil.rmtree(scratch, ignore_errors=True)


# The frameworks durable runs take (hooks/pre_gen_project.py, DURABLE_FRAMEWORKS).
DURABLE_FRAMEWORKS = ("builtin", "strands", "pydantic-ai")


def refused(answers: dict) -> bool:
    """Combinations the hook refuses (docs/OPTIONS.md, "Combinations that are refused")."""
    return answers["durable_runs"] == "yes" and answers["agent_framework"] not in DURABLE_FRAMEWORKS


def combination_id(answers: dict) -> str:
    return " ".join(f"{name}={answers[name]}" for name in OPTIONS)


def report(failures: list[str], kits: int) -> str:
    """How many leaks, in which files, then each one (kit, file, line, word, option)."""
    by_file = collections.Counter(line.split("] ", 1)[1].split(":", 1)[0] for line in failures)
    counts = ", ".join(f"{name} {count}" for name, count in by_file.most_common())
    return f"{len(failures)} leaks in {kits} kits; by file: {counts}\n" + "\n".join(failures)


# Nine tests of 36 kits each (48 combinations less those the hook refuses), so that pytest-xdist
# shares them between its workers.
@pytest.mark.parametrize(
    ("runtime_flavor", "infrastructure"),
    list(itertools.product(CHOICES["runtime_flavor"], CHOICES["infrastructure"])),
)
def test_every_kit_speaks_only_of_itself(runtime_flavor, infrastructure, quick_bakes):
    failures = []
    combinations = list(itertools.product(*(CHOICES[name] for name in OPTIONS[2:])))
    for values in combinations:
        answers = dict(zip(OPTIONS, (runtime_flavor, infrastructure, *values), strict=True))
        if refused(answers):
            continue
        kit = Path(bake_kit(str(ROOT), no_input=True, extra_context=answers, output_dir=str(quick_bakes)))
        failures += [
            f"[{combination_id(answers)}] {line}" for line in leaks(kit, tuple(sorted(answers.items())))
        ]
        shutil.rmtree(kit)
    assert not failures, report(failures, len(combinations))


def test_the_scan_finds_each_kind_of_leak_and_spares_other_options(tmp_path):
    """The scan itself: a word of an option the kit lacks, in text and in a file name, at a word
    boundary and in any case for (?i) words; nothing inside "Other options"; blank-looking lines."""
    answers = {"runtime_flavor": "al2023-streaming", "infrastructure": "cdk", "llm_provider": "echo"}
    answers |= {"lexia_integration": False, "api_gateway": "none", "durable_runs": "no"}
    (tmp_path / "README.md").write_text(
        "# Kit\n\nSame as a SAMPLE, uses bootstrap.\nMANGUM here.\n\n"
        "## Other options\n\nmangum, Bedrock, SAM.\n\n## Next\n\nLexia.\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_sam_template.py").write_text("x = 1\n")
    (tmp_path / "Makefile").write_text("all:\n \t\n")
    (tmp_path / ".cookiecutter.json").write_text('{"lexia_integration": false}\n')
    found = leaks(tmp_path, tuple(sorted(answers.items())))
    assert found == [
        "Makefile:2: whitespace-only line",
        "README.md:4: 'MANGUM' (runtime_flavor=mangum-container)",
        "README.md:12: 'Lexia' (lexia_integration=True)",
        "tests/test_sam_template.py: file name: '_sam_' (infrastructure=sam)",
    ]
