"""Insight: figures, suppression and the CSV."""
