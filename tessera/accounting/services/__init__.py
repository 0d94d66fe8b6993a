"""Accounting writes and state transitions. Each service owns its transaction and raises domain errors."""
