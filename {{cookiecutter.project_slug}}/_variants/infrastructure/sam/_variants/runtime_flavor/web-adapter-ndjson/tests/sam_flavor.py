"""What the template must say for this image: the HTTP function streams, and a buffered
worker from the same image takes the queue and the schedule."""

INVOKE_MODE = "RESPONSE_STREAM"
EVENT_FUNCTION = "WorkerFunction"
