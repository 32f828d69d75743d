"""Bringing official statistics into the data package: `sirkbok update ssb`."""
