"""What ``/api/v1/send_message`` reads from the environment: where Lexia replies stream.

A message's own ``stream_url`` / ``stream_token`` win; these are the fallbacks.
"""

from __future__ import annotations

# The variables only the messages route reads, and whether each value is a secret.
VARIABLES = {"STREAM_URL": False, "STREAM_TOKEN": True}
DEFAULTS = {"stream_url": "", "stream_token": ""}
