"""Amazon Bedrock through the Converse streaming API, as LangChain's ``ChatBedrockConverse``.

``AGENT_MODEL`` is the model id; boto3 finds the region, the function's credentials (and
``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``, when set) as it always does. The function's role may
invoke that model only. One boto3 client per execution environment, made here so its timeouts
and retries are the kit's; the chat model around it is made per run.
"""

from __future__ import annotations

from functools import cache

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError
from langchain_aws import ChatBedrockConverse

from ..settings import Settings
from .model import max_tokens, stop_sequences


@cache
def _client(timeout_s: int):
    retries = {"max_attempts": 2, "mode": "standard"}
    config = Config(read_timeout=timeout_s, connect_timeout=5, retries=retries)
    return boto3.client("bedrock-runtime", config=config)


def build(settings: Settings, options: dict) -> ChatBedrockConverse:
    generation = {"max_tokens": max_tokens(options), "stop_sequences": stop_sequences(options) or None}
    if "temperature" in options:
        generation["temperature"] = options["temperature"]
    return ChatBedrockConverse(
        model_id=settings.agent_model,
        client=_client(settings.llm_timeout_s),
        # The kit streams every reply; LangChain streams only the model families it knows.
        disable_streaming=False,
        **{name: value for name, value in generation.items() if value is not None},
    )


def failure(problem: BaseException, settings: Settings) -> str | None:
    if isinstance(problem, (ReadTimeoutError, ConnectTimeoutError)):
        return f"the model provider did not answer within {settings.llm_timeout_s}s"
    if isinstance(problem, ClientError):
        error = problem.response.get("Error", {})
        detail = error.get("Message") or error.get("Code") or "unknown error"
        return f"Bedrock failed: {error.get('Code', 'error')}: {detail}"
    if isinstance(problem, BotoCoreError):
        return f"Bedrock failed: {problem}"
    return None
