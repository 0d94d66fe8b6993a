"""Core writes and state changes. Each service owns its transaction and raises a DomainError."""
