"""{{ cookiecutter.project_slug }}: an AI agent on AWS Lambda."""
