"""What the al2023-streaming flavor deploys: one image function that streams, queue and schedule included.

This file is the only part of ship that knows the runtime flavor. The kit's own runtime
(``bootstrap``) streams each chunk through a ``RESPONSE_STREAM`` Function URL and answers SQS
batches and scheduled events buffered on the same function. The image's ENTRYPOINT
(``/var/task/bootstrap``) and CMD (the handler) come from the Dockerfile, so no command is set here.
"""

from .plan import FunctionSpec

FUNCTIONS = (
    FunctionSpec(
        url_invoke_mode="RESPONSE_STREAM",
        queue=True,
        schedule=True,
    ),
)
