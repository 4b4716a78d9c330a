"""Incident Logbook: a desktop log of security incidents."""

__version__ = "0.1.0"
