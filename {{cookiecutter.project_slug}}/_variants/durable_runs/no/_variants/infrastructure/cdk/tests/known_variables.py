"""The environment variables the kit's code reads."""

from {{ cookiecutter.package_name }}.settings import VARIABLES

__all__ = ["VARIABLES"]
