"""What the front of the function reads from the environment: nothing, the app answers the
Function URL and the REST API alike."""

from __future__ import annotations

# The variables only the front reads (whether each value is a secret), and their defaults.
VARIABLES: dict[str, bool] = {}
DEFAULTS: dict[str, str] = {}
