"""How the runs function starts in the image: its command names the runs handler."""

from test_sam_template import cfn, of_type

__all__ = ["cfn"]


def test_the_runs_function_command_is_the_runs_handler(cfn):
    runs = of_type(cfn, "AWS::Lambda::Function")["RunsFunction"]
    assert runs["ImageConfig"] == {"Command": ["{{ cookiecutter.package_name }}.runs.handler.handler"]}
