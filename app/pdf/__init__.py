"""PDF renderers: plain dataclasses in, PDF bytes out, no app or database needed."""
