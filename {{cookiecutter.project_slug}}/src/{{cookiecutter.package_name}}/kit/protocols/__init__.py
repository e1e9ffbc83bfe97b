"""Encoders at the edge: agent events in, wire formats out."""
