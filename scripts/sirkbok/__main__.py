"""Allows `python -m sirkbok …`."""

from sirkbok.cli import main

raise SystemExit(main())
