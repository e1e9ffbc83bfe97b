"""How the runs function starts in the image: the Web Adapter posts each durable invocation to
the app's events route."""

from test_sam_template import cfn, of_type

__all__ = ["cfn"]


def test_the_adapter_passes_each_durable_invocation_to_the_events_route(cfn):
    runs = of_type(cfn, "AWS::Lambda::Function")["RunsFunction"]
    assert "ImageConfig" not in runs
    assert runs["Environment"]["Variables"]["AWS_LWA_PASS_THROUGH_PATH"] == "/events"
