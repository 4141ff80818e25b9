"""The LEHC benchmark: `make bench` (see bench/run.py)."""
