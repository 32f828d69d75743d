"""Placeholder until the regeneration pipeline lands: runs every notebook with papermill."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=int, default=None)


def regenerate(jobs: int | None = None) -> int:
    return 0


def run(args: argparse.Namespace) -> int:
    return regenerate(jobs=args.jobs)
