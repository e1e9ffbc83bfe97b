"""How the image runs as the runs function: its own handler, named as the image's command."""

COMMAND = ["{{ cookiecutter.package_name }}.runs.handler.handler"]
ENVIRONMENT: dict[str, str] = {}
