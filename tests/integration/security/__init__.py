"""Whole-app security: every route for every kind of user, declarations, hostile input and text."""
