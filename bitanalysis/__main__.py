"""`python -m bitanalysis` runs the command line."""

import sys

from bitanalysis.cli import main

sys.exit(main())
