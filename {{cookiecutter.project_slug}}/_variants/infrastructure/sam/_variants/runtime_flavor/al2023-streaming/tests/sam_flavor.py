"""What the template must say for this image: the custom runtime streams HTTP replies, and
queue batches and schedules reach the same function."""

INVOKE_MODE = "RESPONSE_STREAM"
EVENT_FUNCTION = "AgentFunction"
