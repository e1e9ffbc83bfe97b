"""The environment variables the kit's code reads."""

from {{ cookiecutter.package_name }}.kit.settings import VARIABLES

__all__ = ["VARIABLES"]
