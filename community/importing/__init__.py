"""Importing a real forum's threads (JSON Lines), with their replies, authors, dates and
accepted answers: production data, not demo data, so it lives beside the core's
services rather than in ``community/demo``."""
