"""The command line: parse, call the library, map errors to a one-line message and an exit code (see cli/exits.py)."""
