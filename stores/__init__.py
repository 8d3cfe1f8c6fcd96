"""Tracker-store and lock-store subclasses, configured in endpoints.yml."""
