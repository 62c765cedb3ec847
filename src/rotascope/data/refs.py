"""What a name on the command line means: a universe segment or a series the user stored.

One precedence serves every command and the report:

1. a segment's own name (``small-caps``) is that segment (its data may be stored under that
   name by ``rotascope data fetch``);
2. a name the user stored a series under (``rotascope data import ... --name spx``) is that
   series, even when a segment has it as an alias: the user's choice wins over the universe's;
3. a segment alias (``spx``, ``rut``, ``mom``) is its segment;
4. a name that matches in more than one way without an exact stored match (a stored ``SPX`` and
   the alias ``spx``, or two stored names that differ only in case) is an error listing every
   meaning, so that nothing is picked silently.

Prefixed references (``sample:``, ``file:``) are resolved by their callers before this.
"""

from __future__ import annotations

from dataclasses import dataclass

from rotascope.data.loader import DataSource
from rotascope.data.universe import Segment, Universe
from rotascope.errors import InputError

__all__ = ["NameRef", "resolve_name"]


@dataclass(frozen=True)
class NameRef:
    """The meaning of a name: a segment (``segment`` set) or a stored series (``stored`` set)."""

    text: str
    segment: Segment | None = None
    stored: str = ""


def _stored_names(source: DataSource) -> list[str]:
    from rotascope.data.store import Store

    with Store(source.store_path, read_only=True) as store:
        return store.names()


def resolve_name(text: str, universe: Universe, source: DataSource) -> NameRef:
    """Resolve ``text`` by the precedence of the module docstring.

    Raises
    ------
    InputError
        An empty name or an ambiguous name (the message lists its meanings). A name that is
        neither is returned as a stored name: reading it raises the store's "no series" error.
    """
    name = text.strip()
    if not name:
        raise InputError("empty series name")
    key = name.lower()
    own = next((s for s in universe.segments if s.name == key), None)
    if own is not None:
        return NameRef(name, segment=own)
    stored = _stored_names(source)
    if name in stored:
        return NameRef(name, stored=name)
    alias = next((s for s in universe.segments if key in (a.lower() for a in s.aliases)), None)
    folded = [n for n in stored if n.lower() == key]
    meanings = [f"the stored series {n!r}" for n in folded]
    if alias is not None:
        meanings.append(f"the segment {alias.name!r} of universe {universe.name!r} "
                        f"(alias {key!r})")
    if len(meanings) > 1:
        raise InputError(f"{name!r} is ambiguous: it can mean {' or '.join(meanings)}; "
                         "use the exact stored name or the segment name")
    if alias is not None:
        return NameRef(name, segment=alias)
    # one stored name in another case, or none at all: reading it gives the store's own error
    return NameRef(name, stored=folded[0] if folded else name)
