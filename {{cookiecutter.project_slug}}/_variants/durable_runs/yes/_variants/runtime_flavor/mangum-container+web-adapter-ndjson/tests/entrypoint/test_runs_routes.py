"""/v1/runs through the FastAPI app."""

from fastapi.testclient import TestClient
from runs_flow import bad_requests_get_one_line_errors, fresh_runs, start_approve_and_read

from {{ cookiecutter.package_name }}.kit.app import create_app

__all__ = ["fresh_runs"]


def test_start_a_run_approve_its_tool_and_read_the_result(fresh_runs):
    with TestClient(create_app()) as client:
        start_approve_and_read(lambda *request: answer(client, *request))


def test_bad_requests_get_one_line_errors(fresh_runs):
    with TestClient(create_app()) as client:
        bad_requests_get_one_line_errors(lambda *request: answer(client, *request))


def answer(client: TestClient, method: str, path: str, body: dict | None, headers: dict | None):
    reply = client.request(method, path, json=body, headers=headers)
    return reply.status_code, reply.json()
