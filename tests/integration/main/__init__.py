"""The home page and what every page carries: the service's own identity."""
