"""Pipelines: one function per topic that resolves inputs, loads point-in-time data and analyses.

The CLI and the report call the same pipeline functions, so a command's ``--json`` and the
report agree by construction. Imports point down: data, kernels, analytics.
"""
