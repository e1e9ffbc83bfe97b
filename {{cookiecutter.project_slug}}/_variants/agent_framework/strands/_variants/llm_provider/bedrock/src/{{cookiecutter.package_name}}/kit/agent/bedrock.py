"""Amazon Bedrock through the Converse streaming API, with Strands' ``BedrockModel``.

``AGENT_MODEL`` is the model id, in the function's region (boto3's, else ``AWS_REGION``); the
function's role may invoke that model only. boto3 waits ``LLM_TIMEOUT_S`` for an answer and
tries a call twice at most.
"""

from __future__ import annotations

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError
from strands.models.bedrock import BedrockModel

from ..settings import Settings
from .model import max_tokens, stop_sequences


def build(settings: Settings, options: dict) -> BedrockModel:
    retries = {"max_attempts": 2, "mode": "standard"}
    config = Config(read_timeout=settings.llm_timeout_s, connect_timeout=5, retries=retries)
    generation = {"max_tokens": max_tokens(options), "stop_sequences": stop_sequences(options) or None}
    if "temperature" in options:
        generation["temperature"] = options["temperature"]
    return BedrockModel(
        model_id=settings.agent_model,
        boto_client_config=config,
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
