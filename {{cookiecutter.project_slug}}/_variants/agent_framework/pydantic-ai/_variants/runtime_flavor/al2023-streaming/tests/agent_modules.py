"""What the agent loads beyond the standard library: Pydantic AI and the packages it imports."""

from __future__ import annotations

# Pydantic AI imports these at cold start (asyncio, dataclasses, typing, ...): the framework's floor.
COSTLY = frozenset({"asyncio", "dataclasses", "inspect", "logging", "typing"})
# pydantic-ai-slim and what it imports at cold start.
FRAMEWORK = frozenset(
    {
        "annotated_types",
        "anyio",
        "genai_prices",
        "griffe",
        "h11",
        "httpcore2",
        "httpx2",
        "idna",
        "logfire_api",
        "opentelemetry",
        "pydantic",
        "pydantic_ai",
        "pydantic_core",
        "pydantic_graph",
        "truststore",
        "typing_extensions",
        "typing_inspection",
    }
)
# Imported by the framework only when installed, as in the kit's development environment (the image
# has none of them): httpx, with its command line (click, rich, pygments), and sniffio.
WHEN_INSTALLED = frozenset({"httpx", "click", "rich", "pygments", "sniffio"})


def unexpected(loaded: list[str]) -> list[str]:
    """The modules of ``loaded`` (beyond the standard library) that the agent does not account for;
    sysconfig's generated ``_sysconfigdata_*`` module is the standard library's."""
    known = FRAMEWORK | WHEN_INSTALLED
    return [module for module in loaded if module not in known and not module.startswith("_sysconfigdata_")]
