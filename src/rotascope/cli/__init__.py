"""The command line: parse, call the library, map errors to one line and an exit code."""
