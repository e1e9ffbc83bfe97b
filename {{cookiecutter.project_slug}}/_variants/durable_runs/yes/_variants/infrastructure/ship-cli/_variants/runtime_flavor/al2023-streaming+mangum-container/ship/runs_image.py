"""How the image runs as the runs function: its own handler, named as the image's command."""

COMMAND = ("{{ cookiecutter.package_name }}.kit.runs.handler.handler",)
ENVIRONMENT: dict[str, str] = {}
