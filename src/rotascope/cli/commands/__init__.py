"""One module per ``rotascope`` command, named as the user types it.

Each module exposes ``register(app)``, which adds its command to ``app`` (``app.command`` for a
command, ``app.add_typer`` for a group of subcommands); :data:`rotascope.cli.lazy.COMMANDS`
names the module of every command, imported only when that command runs.
"""
