"""Tests of your jobs: yours to change with them."""

from {{ cookiecutter.package_name }} import jobs
from {{ cookiecutter.package_name }}.kit.agent.events import Message
from {{ cookiecutter.package_name }}.kit.settings import get_settings


def test_the_scheduled_job_runs_one_turn_of_the_agent():
    outcome = jobs.run_scheduled({"resources": ["arn:aws:events:rule/check"]})
    assert outcome["status"] == "ok"
    assert outcome["reply_chars"] == len("scheduled check")


def test_a_message_is_answered_by_the_agent():
    events = list(jobs.answer_message([Message("user", "hello there")], get_settings()))
    assert events[-1].type == "result"
    assert events[-1].payload["text"] == "hello there"
