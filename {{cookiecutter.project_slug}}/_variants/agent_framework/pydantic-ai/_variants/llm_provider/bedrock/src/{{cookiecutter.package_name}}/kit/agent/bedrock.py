"""Amazon Bedrock through the Converse streaming API, as Pydantic AI's ``BedrockConverseModel``.

``AGENT_MODEL`` is the model id; boto3 finds the region, the function's credentials (and
``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``, when set) as it always does. The function's role may
invoke that model only. One client per execution environment, made here so its timeouts and
retries are the kit's.
"""

from __future__ import annotations

import boto3
from botocore.config import Config
from pydantic_ai.models.bedrock import BedrockConverseModel
from pydantic_ai.providers.bedrock import BedrockProvider

from ..settings import Settings


def build(settings: Settings) -> BedrockConverseModel:
    retries = {"max_attempts": 2, "mode": "standard"}
    config = Config(read_timeout=settings.llm_timeout_s, connect_timeout=5, retries=retries)
    client = boto3.client("bedrock-runtime", config=config)
    return BedrockConverseModel(settings.agent_model, provider=BedrockProvider(bedrock_client=client))
