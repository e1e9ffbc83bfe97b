"""Which template file renders a kit path, for a set of answers.

    python scripts/where.py src/my_agent/kit/handler.py runtime_flavor=al2023-streaming
    python scripts/where.py --all infrastructure=cdk        # every kit path and its source

The rule it follows is the post-generation hook's: a file under
``_variants/<option>/<values>/`` belongs to the kit when the answer to ``<option>`` is one of
the ``+``-joined ``<values>``; nested ``_variants/`` apply in turn; the kit path is what is
left once those folders are taken out. Run through ``make where FILE=... ANSWERS="..."``.

Nested folders follow one order, outermost first (``NESTING``): a feature option owns its
files, the infrastructure-specific ones sit inside it, and per-flavor files innermost.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = ROOT / "{{cookiecutter.project_slug}}"
VARIANTS = "_variants"
# The order of options along a nested variant path, outermost first.
NESTING = (
    "durable_runs",
    "api_gateway",
    "lexia_integration",
    "agent_framework",
    "llm_provider",
    "infrastructure",
    "runtime_flavor",
)


def answer_text(value: object) -> str:
    """How an answer is spelled in a folder name (booleans as true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def context_for(answers: dict[str, str]) -> dict:
    """Every answer, defaults and derived ones included, as cookiecutter computes them."""
    context = generate_context(context_file=str(ROOT / "cookiecutter.json"), extra_context=answers)
    return prompt_for_config(context, no_input=True)


def kit_path(relative: Path, answers: dict) -> Path | None:
    """Where a payload file lands in the kit, or None when these answers leave it out."""
    parts, kept = list(relative.parts), []
    while parts:
        part = parts.pop(0)
        if part == VARIANTS:
            option, values = parts.pop(0), parts.pop(0)
            if answer_text(answers[option]) not in values.split("+"):
                return None
            continue
        kept.append(part)
    return Path(*kept)


def options_on(relative: Path) -> list[str]:
    """The options a payload path is chosen by, outermost first."""
    parts = relative.parts
    return [parts[i + 1] for i, part in enumerate(parts) if part == VARIANTS]


def nesting_problem(relative: Path) -> str | None:
    """Why a payload path breaks the nesting order, or None when it keeps it."""
    options = options_on(relative)
    if len(options) < 2:
        return None
    unknown = [option for option in options if option not in NESTING]
    if unknown:
        return f"{relative}: {unknown[0]} is not in the nesting order {', '.join(NESTING)}"
    ranks = [NESTING.index(option) for option in options]
    if ranks != sorted(set(ranks)):
        return f"{relative}: nests {' > '.join(options)}; the order is {', '.join(NESTING)}"
    return None


def sources(answers: dict) -> dict[str, Path]:
    """Kit path (rendered) -> the template file that renders it."""
    names = Environment(autoescape=False)
    found: dict[str, Path] = {}
    for file in sorted(p for p in PAYLOAD.rglob("*") if p.is_file()):
        landed = kit_path(file.relative_to(PAYLOAD), answers)
        if landed is None:
            continue
        rendered = names.from_string(str(landed)).render(cookiecutter=answers)
        if rendered in found:
            raise SystemExit(f"error: {found[rendered]} and {file} both render {rendered}")
        found[rendered] = file.relative_to(ROOT)
    return found


def parse_answers(items: list[str]) -> dict[str, str]:
    answers = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals:
            raise SystemExit(f"error: answers are name=value; got {item!r}")
        answers[name] = value
    return answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="a path in the kit, e.g. src/my_agent/kit/handler.py")
    parser.add_argument("answers", nargs="*", help="name=value answers (defaults otherwise)")
    parser.add_argument("--all", action="store_true", help="list every kit path and its source")
    args = parser.parse_args(argv)
    items = list(args.answers)
    if args.path and "=" in args.path:
        items.insert(0, args.path)
        args.path = None
    answers = context_for(parse_answers(items))
    found = sources(answers)
    if args.all or not args.path:
        width = max(map(len, found))
        for path, source in found.items():
            print(f"{path:<{width}}  {source}")
        return 0
    wanted = str(Path(args.path))
    if wanted not in found:
        print(f"error: no template file renders {wanted} for these answers", file=sys.stderr)
        return 1
    print(found[wanted])
    return 0


if __name__ == "__main__":
    sys.exit(main())
