"""Long-running agent runs on Lambda durable functions (see the README, "Long-running runs")."""
