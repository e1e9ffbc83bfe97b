"""What the front of the function reads from the environment: whether the REST API streams.

A REST API event does not say whether its integration streams the response; the
infrastructure sets ``REST_API_STREAMING=true`` where it does.
"""

from __future__ import annotations

# The variables only the front reads, and whether each value is a secret.
VARIABLES = {"REST_API_STREAMING": False}
DEFAULTS = {"rest_api_streaming": False}  # read as true/false
