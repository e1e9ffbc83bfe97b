"""One agent run's figures, written as one CloudWatch EMF line when the run ends.

Metrics (namespace ``METRICS_NAMESPACE``, dimensions ``service`` and ``model``):
``ModelCalls``, ``ModelLatency`` (ms, one value per call), ``TimeToFirstToken`` (ms, from
the start of the run to the model's first output), ``InputTokens`` and ``OutputTokens``
(when the provider reports them), ``ToolCalls``, ``ToolErrors`` and ``RunErrors``.
"""

from __future__ import annotations

from ..settings import Settings
from . import emf


class RunMetrics:
    def __init__(self, started: float) -> None:
        self.started = started
        self.latencies_ms: list[float] = []
        self.first_token: float | None = None
        self.tokens = {"input_tokens": None, "output_tokens": None}
        self.tool_calls = 0
        self.tool_errors = 0

    def model_call(self, call: dict, ended: float) -> None:
        self.latencies_ms.append(round((ended - call["started"]) * 1000, 1))
        self.first_token = self.first_token or call["first_token"]
        for name, total in self.tokens.items():
            if call[name] is not None:
                self.tokens[name] = (total or 0) + call[name]

    def tool_ended(self, outcome: dict) -> None:
        self.tool_calls += 1
        self.tool_errors += "error" in outcome

    def document(
        self, settings: Settings, outcome: dict | None, properties: dict, suspended: bool = False
    ) -> dict:
        metrics: dict[str, tuple] = {"ModelCalls": (len(self.latencies_ms), "Count")}
        if self.latencies_ms:
            metrics["ModelLatency"] = (self.latencies_ms, "Milliseconds")
        if self.first_token is not None:
            metrics["TimeToFirstToken"] = (round((self.first_token - self.started) * 1000, 1), "Milliseconds")
        if self.tokens["input_tokens"] is not None:
            metrics["InputTokens"] = (self.tokens["input_tokens"], "Count")
        if self.tokens["output_tokens"] is not None:
            metrics["OutputTokens"] = (self.tokens["output_tokens"], "Count")
        metrics["ToolCalls"] = (self.tool_calls, "Count")
        metrics["ToolErrors"] = (self.tool_errors, "Count")
        failed = not suspended and (outcome is None or "code" in outcome)
        metrics["RunErrors"] = (int(failed), "Count")
        ending = (
            "suspended" if suspended else "cancelled" if outcome is None else outcome.get("code", "result")
        )
        dimensions = {"service": settings.service_name, "model": settings.agent_model}
        return emf.document(
            settings.metrics_namespace, dimensions, metrics, {**properties, "outcome": ending}
        )
