"""Teach moto's API Gateway to keep an integration's responseTransferMode, as AWS does.

moto 5.2.5 accepts ``put_integration(responseTransferMode=...)`` but drops the value, so
``get_method`` would never show ``STREAM`` and ship's second deploy would rewrite the
integration every time. AWS stores the mode and returns it (``BUFFERED`` when unset).
"""

from __future__ import annotations

import json

from moto.apigateway import models, responses


def fix_server() -> None:
    if getattr(models.Integration, "keeps_response_transfer_mode", False):
        return
    put_integration = responses.APIGatewayResponse.put_integration
    to_json = models.Integration.to_json

    def put_keeping_mode(self):
        status, headers, _ = put_integration(self)
        parts = self.path.split("/")
        integration = self.backend.get_integration(parts[2], parts[4], parts[6])
        integration.response_transfer_mode = self._get_param("responseTransferMode") or "BUFFERED"
        return status, headers, json.dumps(integration.to_json())

    def to_json_with_mode(self):
        return {**to_json(self), "responseTransferMode": getattr(self, "response_transfer_mode", "BUFFERED")}

    responses.APIGatewayResponse.put_integration = put_keeping_mode
    models.Integration.to_json = to_json_with_mode
    models.Integration.keeps_response_transfer_mode = True
