"""Running many models: replicates, scenario files, output files, benchmark and CLI.

Uses :mod:`model`; the model knows nothing of this package.
"""
