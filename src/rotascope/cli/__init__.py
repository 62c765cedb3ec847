"""The command line: parse, call the library, map errors to a one-line message and exit code 2."""
