"""The REST API's streaming integration, as SAM spells it."""

from stack_template import lint_errors, sam_template, translate
from test_sam_rest_api import api_integrations


def test_stream_spelled_the_cloudformation_way_would_buffer():
    """SAM's word is RESPONSE_STREAM; STREAM passes cfn-lint yet yields a buffered API."""
    template = sam_template()
    for event in template["Resources"]["AgentFunction"]["Properties"]["Events"].values():
        if event["Type"] == "Api":
            event["Properties"]["ResponseTransferMode"] = "STREAM"
    cfn = translate(template)
    assert lint_errors(cfn) == []
    assert all("responseTransferMode" not in i for i in api_integrations(cfn).values())
