"""How the image runs as the runs function: the adapter POSTs each durable invocation, raw, to
the pass-through route (as it does the worker's events) and returns the answer, buffered."""

COMMAND = None
ENVIRONMENT = {
    "AWS_LWA_INVOKE_MODE": "buffered",
    "AWS_LWA_PASS_THROUGH_PATH": "/events",
    "AWS_LWA_ERROR_STATUS_CODES": "500-599",
}
