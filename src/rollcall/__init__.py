"""Rollcall: an open information bureau and monitoring system for prisoners of war and
detained civilians."""

__version__ = "0.1.0"
