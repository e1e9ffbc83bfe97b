"""The environment variables the kit's code reads: the agent's, and the runs' own (runs/config.py)."""

from {{ cookiecutter.package_name }}.kit.runs.config import VARIABLES as RUN_VARIABLES
from {{ cookiecutter.package_name }}.kit.settings import VARIABLES as AGENT_VARIABLES

VARIABLES = (*AGENT_VARIABLES, *RUN_VARIABLES)
