"""Families, consent and need-to-know across every surface."""
