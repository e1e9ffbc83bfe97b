"""What ``/api/v1/send_message`` reads from the environment: nothing, the reply goes back to the caller."""

from __future__ import annotations

# The variables only the messages route reads (whether each value is a secret), and their defaults.
VARIABLES: dict[str, bool] = {}
DEFAULTS: dict[str, str] = {}
