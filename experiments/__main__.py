"""``python -m experiments``: the same as the ``verbinding`` command."""

import sys

from experiments.cli import main

sys.exit(main())
