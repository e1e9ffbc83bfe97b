"""What building the app costs at cold start."""

from fastapi.routing import APIRoute

from {{ cookiecutter.package_name }}.kit.app import create_app


def test_no_route_makes_fastapi_build_a_pydantic_field():
    """A typed parameter or a response model on any route makes FastAPI build pydantic fields, which
    imports ``pydantic.v1`` (about 20 ms of every cold start) and validates what the route already
    checks: routes read the request themselves and answer plain dicts or responses."""
    for route in create_app().routes:
        if isinstance(route, APIRoute):
            found = route.dependant
            params = found.path_params + found.query_params + found.header_params + found.body_params
            assert [param.name for param in params] == [], route.path
            assert route.response_field is None, route.path
