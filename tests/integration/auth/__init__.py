"""Signing in, sessions, the second factor and password resets."""
