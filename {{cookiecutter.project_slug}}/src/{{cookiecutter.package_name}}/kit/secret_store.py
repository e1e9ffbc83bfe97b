"""Read a secret from Secrets Manager or SSM Parameter Store (one AWS call each)."""

from __future__ import annotations

import json


def read_secret(secret_id: str = "", parameter: str = "") -> str:
    """The secret's value. A Secrets Manager secret may be the value itself or a JSON
    object with an ``api_key`` field; an SSM parameter is read with decryption."""
    from .aws_api import call  # only on this path: most requests never sign an AWS call

    if secret_id:
        secret = call("secretsmanager", "secretsmanager.GetSecretValue", {"SecretId": secret_id})
        return _api_key_field(secret["SecretString"])
    if parameter:
        response = call("ssm", "AmazonSSM.GetParameter", {"Name": parameter, "WithDecryption": True})
        return response["Parameter"]["Value"]
    raise ValueError("read_secret needs a secret id or a parameter name")


def _api_key_field(secret: str) -> str:
    try:
        data = json.loads(secret)
    except ValueError:
        return secret
    if isinstance(data, dict) and isinstance(data.get("api_key"), str):
        return data["api_key"]
    return secret
