"""Accounts, roles and permissions, password hashing and tokens."""
