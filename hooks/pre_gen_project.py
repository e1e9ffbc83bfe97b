"""Reject answers the kit cannot be built from, with one clear line each."""

import json
import keyword
import re
import sys

# Answers arrive as data: the whole context is rendered into a JSON string literal.
ANSWERS = json.loads({{cookiecutter | jsonify | tojson}})  # noqa: F821 - rendered before it runs

CHOICES = {
    "python_version": ("3.12", "3.13"),
    "architecture": ("arm64", "x86_64"),
    "runtime_flavor": ("mangum-container", "al2023-streaming", "web-adapter-ndjson"),
    "infrastructure": ("sam", "cdk", "ship-cli"),
    "function_url_auth": ("AWS_IAM", "NONE"),
    "api_key_source": ("none", "secretsmanager", "ssm"),
    "llm_provider": ("echo", "openai", "bedrock"),
    "durable_runs": ("no", "yes"),
}

# Import names the kit depends on; a package with one of these names would shadow it.
DEPENDENCY_MODULES = frozenset(
    {
        "anyio",
        "aws_cdk",
        "aws_lambda_powertools",
        "boto3",
        "botocore",
        "cdk_nag",
        "constructs",
        "fastapi",
        "httpx",
        "jmespath",
        "mangum",
        "moto",
        "openai",
        "pydantic",
        "pytest",
        "ruff",
        "starlette",
        "typing_extensions",
        "uvicorn",
        "lexia",
        "samtranslator",
        "cfnlint",
        "events",
        "scripts",
        "tests",
    }
)

# Modules at the root of a cdk kit, on the same import path as the package.
CDK_APP_MODULES = frozenset({"app", "infra", "cdk_synth"})

SLUG = re.compile(r"[a-z][a-z0-9-]{0,39}")
PACKAGE = re.compile(r"[a-z_][a-z0-9_]*")
REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
CRON = re.compile(r"cron\(([^()]*)\)")


class AnswerError(ValueError):
    """One answer the template cannot use."""


def check_choice(name, value):
    if value not in CHOICES[name]:
        allowed = ", ".join(CHOICES[name])
        raise AnswerError(f"{name} must be one of {allowed}; got {value!r}")


def check_slug(slug):
    if not SLUG.fullmatch(slug):
        raise AnswerError(
            f"project_slug {slug!r} must start with a lowercase letter and hold only "
            "lowercase letters, digits and hyphens (at most 40 characters)"
        )


def check_package(name):
    if not PACKAGE.fullmatch(name) or not name.isidentifier():
        raise AnswerError(f"package_name {name!r} is not a valid lowercase Python identifier")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise AnswerError(f"package_name {name!r} is a Python keyword")
    if name in sys.stdlib_module_names:
        raise AnswerError(f"package_name {name!r} would shadow the standard library module")
    if name in DEPENDENCY_MODULES:
        raise AnswerError(f"package_name {name!r} would shadow a module the kit depends on")


def check_whole_number(name, value, low, high):
    text = str(value).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise AnswerError(f"{name} must be a whole number from {low} to {high}; got {value!r}")


def check_region(region):
    if not REGION.fullmatch(region):
        raise AnswerError(f"aws_region {region!r} is not an AWS region such as us-east-1")


def check_email(email):
    if not EMAIL.fullmatch(email):
        raise AnswerError(f"author_email {email!r} is not an email address")


def check_schedule(expression):
    if not expression:
        return
    rate = RATE.fullmatch(expression)
    if rate:
        value, unit = int(rate.group(1)), rate.group(2)
        if value < 1 or (value == 1) != (not unit.endswith("s")):
            raise AnswerError(
                f"schedule_expression {expression!r}: use rate(1 minute) for one and rate(N minutes) for more"
            )
        return
    cron = CRON.fullmatch(expression)
    if cron:
        fields = cron.group(1).split()
        if len(fields) != 6:
            raise AnswerError(
                f"schedule_expression {expression!r}: cron(...) takes 6 fields "
                f"(minutes hours day-of-month month day-of-week year), got {len(fields)}"
            )
        if "?" not in (fields[2], fields[4]):
            raise AnswerError(f"schedule_expression {expression!r}: day-of-month or day-of-week must be '?'")
        return
    raise AnswerError(f"schedule_expression {expression!r} must be empty, rate(...) or cron(...)")


def check_combination(answers):
    if answers["infrastructure"] == "cdk" and answers["package_name"] in CDK_APP_MODULES:
        raise AnswerError(
            f"package_name {answers['package_name']!r} would shadow a module of the CDK app; choose another"
        )
    if answers["function_url_auth"] == "NONE" and answers["api_key_source"] == "none":
        raise AnswerError(
            "function_url_auth NONE with api_key_source none would publish an endpoint anyone "
            "can call; choose an api_key_source or AWS_IAM"
        )


def validate(answers):
    """Raise AnswerError for the first answer the kit cannot be built from."""
    if not str(answers["project_name"]).strip():
        raise AnswerError("project_name must not be empty")
    for name in CHOICES:
        check_choice(name, answers[name])
    check_slug(answers["project_slug"])
    check_package(answers["package_name"])
    check_email(answers["author_email"])
    check_region(answers["aws_region"])
    check_whole_number("memory_mb", answers["memory_mb"], 128, 10240)
    check_whole_number("timeout_s", answers["timeout_s"], 1, 900)
    check_schedule(str(answers["schedule_expression"]).strip())
    check_combination(answers)


def main():
    try:
        validate(ANSWERS)
    except AnswerError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
