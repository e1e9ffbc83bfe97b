"""What the function the REST API fronts must be told about the API in front of it: nothing,
since it answers the API's events as it answers its URL's."""

ENVIRONMENT: dict[str, str] = {}
