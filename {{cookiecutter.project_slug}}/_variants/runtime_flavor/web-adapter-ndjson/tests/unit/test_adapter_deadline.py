"""The deadline the Lambda Web Adapter sends in ``x-amzn-lambda-context``."""

import json
import time

import pytest

from {{ cookiecutter.package_name }}.kit.lambda_request import from_lambda_context_header


def test_the_web_adapter_header_gives_the_deadline_in_epoch_milliseconds():
    now_ms = int(time.time() * 1000)
    remaining = from_lambda_context_header(json.dumps({"request_id": "r", "deadline": now_ms + 3000}))
    assert 2500 < remaining() <= 3000
    assert from_lambda_context_header(json.dumps({"deadline": now_ms - 10}))() == 0


@pytest.mark.parametrize(
    "header",
    [None, "", "not json", "[1]", '{"request_id": "r"}', '{"deadline": "soon"}', '{"deadline": true}'],
)
def test_an_absent_or_unreadable_header_means_no_deadline(header):
    assert from_lambda_context_header(header) is None
