"""Data providers: each module fetches series from one source behind the same interface."""
