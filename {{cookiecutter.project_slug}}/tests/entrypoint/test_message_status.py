"""GET /api/v1/messages/{response_uuid} through the flavor's entry point, against moto's DynamoDB."""

import json
import time

import boto3
from entry_point import invoke

from {{ cookiecutter.package_name }}.kit import message_store
from {{ cookiecutter.package_name }}.kit.settings import get_settings

from conftest import http_event, load_event

PATH = "/api/v1/messages/"


def get(response_uuid: str, headers: dict | None = None) -> tuple[int, dict]:
    reply = invoke(http_event(PATH + response_uuid, method="GET", headers=headers))
    return reply["statusCode"], json.loads(reply["body"])


def test_without_a_table_the_route_says_the_store_is_not_configured():
    status, body = get("resp-001")
    assert status == 501
    assert body["error"]["type"] == "not_configured_error"
    assert "MESSAGES_TABLE" in body["error"]["message"]


def test_an_unknown_id_is_a_json_404(messages_table):
    status, body = get("no-such-message")
    assert (status, body["error"]["code"], body["error"]["type"]) == (404, 404, "not_found_error")


def test_the_route_keeps_the_access_rules_of_every_route(messages_table, environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "route-key-0123456789")
    get_settings.cache_clear()
    assert get("resp-001")[0] == 401
    assert get("resp-001", {"x-api-key": "route-key-0123456789"})[0] == 404


def test_only_get_is_served():
    reply = invoke(http_event(PATH + "resp-001", {"message": "hi"}))
    assert reply["statusCode"] == 405


def test_a_queued_message_is_recorded_as_queued(messages_table, environment):
    queue_url = boto3.client("sqs").create_queue(QueueName="agent-queue")["QueueUrl"]
    environment.setenv("SQS_QUEUE_URL", queue_url)
    get_settings.cache_clear()
    sample = load_event("send_message.json")
    sent = json.loads(invoke(http_event("/api/v1/send_message", sample))["body"])
    assert sent["status"] == "queued"
    status, body = get(sample["response_uuid"])
    assert status == 200
    assert body["response_uuid"] == sample["response_uuid"] and body["status"] == "queued"
    assert "reply" not in body and "claim" not in body
    # Sent again (a producer's retry): the record stays as it was.
    again = json.loads(invoke(http_event("/api/v1/send_message", sample))["body"])
    assert again["message_id"] != sent["message_id"]
    assert get(sample["response_uuid"])[1]["queued_at"] == body["queued_at"]


def test_the_client_honours_the_dynamodb_endpoint_variable(messages_table, aws, environment):
    environment.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    environment.setenv("AWS_ENDPOINT_URL_DYNAMODB", aws)
    assert get("no-such-message")[0] == 404


def test_an_unreachable_store_is_a_502(environment):
    environment.setenv("MESSAGES_TABLE", "agent-messages")
    environment.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")
    get_settings.cache_clear()
    status, body = get("resp-001")
    assert (status, body["error"]["type"]) == (502, "upstream_error")


def test_items_expire_after_the_ttl_setting(messages_table, environment):
    environment.setenv("MESSAGES_TTL_DAYS", "2")
    get_settings.cache_clear()
    store = message_store.store_for(get_settings())
    store.queued("resp-ttl", "m-1")
    item = store.get("resp-ttl")
    assert item["expires_at"] - int(time.time()) in range(2 * 86_400 - 5, 2 * 86_400 + 1)
