"""Monitoring of places of detention: who saw which site and whom (issue 4)."""
