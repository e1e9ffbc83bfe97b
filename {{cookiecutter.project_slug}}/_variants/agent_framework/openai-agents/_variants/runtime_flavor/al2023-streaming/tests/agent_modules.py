"""What the agent loads beyond the standard library: the OpenAI Agents SDK and the packages it imports."""

from __future__ import annotations

# The Agents SDK imports these at cold start (asyncio, dataclasses, typing, ...): the framework's floor.
COSTLY = frozenset({"asyncio", "dataclasses", "inspect", "logging", "typing"})
# openai-agents and what it imports at cold start: the openai SDK, pydantic, and the MCP SDK it
# always loads (with its HTTP server parts: starlette, uvicorn, sse-starlette, click, cryptography,
# whose bindings register _cffi_backend and _openssl; multiprocessing, loaded on the way, registers
# __mp_main__).
FRAMEWORK = frozenset(
    {
        "__mp_main__",
        "_cffi_backend",
        "_openssl",
        "agents",
        "annotated_types",
        "anyio",
        "click",
        "cryptography",
        "griffe",
        "h11",
        "httpcore2",
        "httpx2",
        "idna",
        "mcp",
        "mcp_types",
        "openai",
        "opentelemetry",
        "pydantic",
        "pydantic_core",
        "python_multipart",
        "sniffio",
        "sse_starlette",
        "starlette",
        "truststore",
        "typing_extensions",
        "typing_inspection",
        "uvicorn",
    }
)
# Imported by the framework only when installed, as in the kit's development environment (the image
# has none of them): httpx, with its command line (rich, pygments).
WHEN_INSTALLED = frozenset({"httpx", "rich", "pygments"})


def unexpected(loaded: list[str]) -> list[str]:
    """The modules of ``loaded`` (beyond the standard library) that the agent does not account for;
    sysconfig's generated ``_sysconfigdata_*`` module is the standard library's."""
    known = FRAMEWORK | WHEN_INSTALLED
    return [module for module in loaded if module not in known and not module.startswith("_sysconfigdata_")]
