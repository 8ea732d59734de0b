"""Whole runs of a step of the cycle, from data to a results folder (what the CLI calls).

A run may use every layer below it: data, engine, the step's own package, reports.
"""
