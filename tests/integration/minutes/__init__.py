"""Running a meeting, its minutes and their Word exports."""
