"""What the web-adapter-ndjson flavor deploys: one image as two functions.

This file is the only part of ship that knows the runtime flavor. The adapter's invoke mode
applies to every invocation of a function, and SQS needs a plain JSON answer, so the HTTP
function streams through its Function URL while a buffered worker (deployed only when there is
a queue or a schedule) takes SQS batches and scheduled events at the pass-through path; a 5xx
answer there fails the invocation, so SQS retries and dead-letters the batch.
"""

from .plan import FunctionSpec

FUNCTIONS = (
    FunctionSpec(url_invoke_mode="RESPONSE_STREAM", environment={"AWS_LWA_INVOKE_MODE": "response_stream"}),
    FunctionSpec(
        suffix="-worker",
        queue=True,
        schedule=True,
        environment={
            "AWS_LWA_INVOKE_MODE": "buffered",
            "AWS_LWA_PASS_THROUGH_PATH": "/events",
            "AWS_LWA_ERROR_STATUS_CODES": "500-599",
        },
    ),
)
