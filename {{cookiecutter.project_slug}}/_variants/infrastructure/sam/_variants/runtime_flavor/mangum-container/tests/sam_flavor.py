"""What the template must say for this image: one function takes HTTP, the queue and the
schedule, and Mangum buffers every response."""

INVOKE_MODE = "BUFFERED"
EVENT_FUNCTION = "AgentFunction"
