"""Private support tickets."""

__all__ = []
