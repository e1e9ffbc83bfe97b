"""The mangum-container flavor deploys one buffered function that also takes the queue and the schedule."""

from {{ cookiecutter.package_name }}.ship.flavor import FUNCTIONS


def test_one_function_does_everything_behind_a_buffered_url():
    [function] = FUNCTIONS
    assert function.suffix == ""
    assert function.url_invoke_mode == "BUFFERED"
    assert (function.queue, function.schedule) == (True, True)
    assert dict(function.environment) == {}
    assert function.command == ()
