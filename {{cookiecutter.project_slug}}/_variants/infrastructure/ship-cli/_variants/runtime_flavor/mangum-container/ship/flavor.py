"""What the mangum-container flavor deploys: one image function for HTTP, the queue and the schedule.

This file is the only part of ship that knows the runtime flavor. Mangum buffers its
responses, so the Function URL is BUFFERED; the one handler dispatches every event itself.
"""

from .plan import FunctionSpec

FUNCTIONS = (FunctionSpec(url_invoke_mode="BUFFERED", queue=True, schedule=True),)
