"""Social mentions, triage and redirect links."""

__all__ = []
