"""Limits on what the desk stores, shared by forms, imports and the API."""

LONG_TEXT_MAX = 100_000  # a summary, a reason, talking points: long, but never unbounded
