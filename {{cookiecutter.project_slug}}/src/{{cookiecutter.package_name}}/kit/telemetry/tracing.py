"""The OpenTelemetry SDK, set up on first use when ``OTEL_TRACES_EXPORTER`` asks for traces.

Tracing off (the default) imports nothing from OpenTelemetry, so it costs nothing at cold
start. On, the kit's provider becomes the global one, so spans an author makes with
``opentelemetry.trace.get_tracer(__name__)`` join the same traces. The standard variables
configure it: ``OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT`` and ``_HEADERS``, ``OTEL_SERVICE_NAME``,
``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_TRACES_SAMPLER``, ``OTEL_BSP_*``.

A frozen Lambda never fires a batch timer, so every run ends with ``flush()``: its spans are
exported before the function returns or finishes its stream.
"""

from __future__ import annotations

import os

from ..settings import Settings

_state: dict = {"provider": None}
FLUSH_TIMEOUT_MS = 2000


def enabled(settings: Settings) -> bool:
    return settings.traces_exporter != "none"


def tracer(settings: Settings):
    """The kit's tracer, the SDK set up on the first call."""
    from opentelemetry import trace

    if _state["provider"] is None:
        _state["provider"] = _provider(settings)
        trace.set_tracer_provider(_state["provider"])
    return _state["provider"].get_tracer(__package__.rpartition(".")[0])


def flush() -> None:
    """Export every finished span now; nothing to do when tracing never started."""
    if _state["provider"] is not None:
        _state["provider"].force_flush(FLUSH_TIMEOUT_MS)


def _provider(settings: Settings):
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    function = {
        "cloud.provider": "aws",
        "cloud.platform": "aws_lambda",
        "cloud.region": os.environ.get("AWS_REGION", ""),
        "faas.name": os.environ.get("AWS_LAMBDA_FUNCTION_NAME", ""),
        "faas.version": os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", ""),
    }
    resource = Resource({k: v for k, v in function.items() if v}).merge(Resource.create())
    if str(resource.attributes.get("service.name", "")).startswith("unknown_service"):
        resource = resource.merge(Resource({"service.name": settings.service_name}))
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(_exporter(settings.traces_exporter)))
    return provider


def _exporter(name: str):
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    if name == "xray":
        from .xray_daemon import XRayDaemonExporter

        return XRayDaemonExporter()
    if name == "timeline":
        from .timeline import TimelineExporter

        return TimelineExporter()
    from opentelemetry.sdk.trace.export import ConsoleSpanExporter

    return ConsoleSpanExporter()
