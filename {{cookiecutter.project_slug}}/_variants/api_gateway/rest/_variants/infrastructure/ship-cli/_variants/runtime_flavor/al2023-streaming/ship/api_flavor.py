"""What the function the REST API fronts must be told about the API in front of it."""

# A REST API event does not say that its integration streams; this variable does.
ENVIRONMENT = {"REST_API_STREAMING": "true"}
