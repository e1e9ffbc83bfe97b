"""What an operator sees of the agent: metrics (CloudWatch EMF on stdout), traces
(OpenTelemetry GenAI spans, when ``OTEL_TRACES_EXPORTER`` is set), and the ids that tie
log lines to both. Built on the agent's event stream (``run_observer``)."""
