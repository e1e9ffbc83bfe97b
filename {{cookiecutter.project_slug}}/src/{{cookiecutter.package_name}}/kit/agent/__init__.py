"""The agent: plain functions that take messages and yield plain events."""
