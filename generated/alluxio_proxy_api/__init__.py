"""Placeholder until scripts/generate runs."""
