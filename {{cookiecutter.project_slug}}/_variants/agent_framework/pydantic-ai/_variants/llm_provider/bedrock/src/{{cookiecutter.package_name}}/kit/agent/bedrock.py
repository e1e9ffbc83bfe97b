"""Amazon Bedrock through the Converse streaming API, as Pydantic AI's ``BedrockConverseModel``.

``AGENT_MODEL`` is the model id; boto3 finds the region, the function's credentials (and
``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``, when set) as it always does. The function's role may
invoke that model only. One boto3 client per execution environment, made here so its timeouts
and retries are the kit's.
"""

from __future__ import annotations

from functools import cache

import boto3
from botocore.config import Config
from pydantic_ai.models.bedrock import BedrockConverseModel
from pydantic_ai.providers.bedrock import BedrockProvider

from ..settings import Settings


@cache
def _client(timeout_s: int):
    retries = {"max_attempts": 2, "mode": "standard"}
    config = Config(read_timeout=timeout_s, connect_timeout=5, retries=retries)
    return boto3.client("bedrock-runtime", config=config)


def build(settings: Settings) -> BedrockConverseModel:
    provider = BedrockProvider(bedrock_client=_client(settings.llm_timeout_s))
    return BedrockConverseModel(settings.agent_model, provider=provider)
