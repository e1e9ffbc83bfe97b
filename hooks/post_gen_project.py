"""Keep the files that belong to the chosen options, then say what to run next.

The payload keeps option-specific files under ``_variants/<option>/<values>/``, where
``<values>`` is one answer or several joined by ``+``. That folder tree is the one map
from option to paths: a folder whose values include the answer is laid over the kit,
every other one is dropped. A chosen folder may hold a ``_variants/`` of its own (files
of one infrastructure that differ by flavor, say); it is applied in turn.
"""

import json
import shutil
import sys
from pathlib import Path

ANSWERS = json.loads({{cookiecutter | jsonify | tojson}})  # noqa: F821 - rendered before it runs

VARIANTS = Path("_variants")


def answer_text(value):
    """How an answer is spelled in a folder name (booleans as true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def chosen_folders(variants, answers):
    """The variant folders that belong to these answers, in a stable order."""
    for option_dir in sorted(p for p in variants.iterdir() if p.is_dir()):
        answer = answer_text(answers[option_dir.name])
        for values_dir in sorted(p for p in option_dir.iterdir() if p.is_dir()):
            if answer in values_dir.name.split("+"):
                yield values_dir


def overlay(source, target):
    """Move every file under source to the same relative path under target."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            if destination.exists():
                raise SystemExit(f"error: two variants both provide {destination}")
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), destination)


def apply_variants(root, answers):
    variants = root / VARIANTS
    while variants.is_dir():
        applying = variants.rename(root / f"{VARIANTS}.applying")
        for folder in list(chosen_folders(applying, answers)):
            overlay(folder, root)
        shutil.rmtree(applying)


def main():
    apply_variants(Path.cwd(), ANSWERS)
    slug = ANSWERS["project_slug"]
    print(f"\nCreated {slug}. Next:\n")
    print(f"  cd {slug}")
    print("  make check      # lint and test, offline")
    print("  make dev        # local server with the echo agent on http://127.0.0.1:8000")
    print("  make deploy     # once AWS credentials are set up\n", file=sys.stdout)


if __name__ == "__main__":
    main()
