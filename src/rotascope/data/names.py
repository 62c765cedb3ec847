"""Rules for the names series are stored under: one place, no heavy imports."""

from __future__ import annotations

from rotascope.errors import InputError

__all__ = ["check_name", "check_new_name"]


def check_name(name: object) -> str:
    """Return ``name`` if it can name a stored series, else raise :class:`InputError`.

    Names are case-sensitive and stored as given; they must be non-blank strings without
    control characters.
    """
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"series name must be a non-empty string (got {name!r})")
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
        raise InputError(f"series name must not contain control characters (got {name!r})")
    return name


def check_new_name(name: object) -> str:
    """Return ``name`` if a series can be stored under it and found again, else raise.

    On top of :func:`check_name`: no leading or trailing whitespace (``--series "spx "`` could
    never match it) and no comma (``--series a,b`` lists two names).

    Raises
    ------
    InputError
        One line naming the name and what is wrong.
    """
    name = check_name(name)
    if name != name.strip():
        raise InputError(
            f"series name {name!r} has leading or trailing spaces; it could not be named later"
        )
    if "," in name:
        raise InputError(
            f"series name {name!r} contains a comma, which separates names in --series lists"
        )
    return name
