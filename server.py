"""Run the issue tracker: `python server.py --help` lists the commands."""

import sys

from issuetracker.cli import main

if __name__ == "__main__":
    sys.exit(main())
