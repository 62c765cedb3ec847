"""Universe files: the segments and pairs a user follows.

A universe is a TOML file::

    name = "us"
    description = "..."
    benchmark = "large-caps"          # segment the RRG and relative tables compare against
    provider = "store"                # where segment data come from: "store" or a provider name
    main = ["large-caps", ...]        # segments of the quote strip
    rrg = { benchmark = "large-caps", group = "sector" }

    [[segments]]
    name = "small-caps"               # lower-case, letters, digits and dashes
    display = "Russell 2000"          # the name sentences use
    group = "size"                    # size, style, sector, factor, ...
    kind = "price"                    # "price" (default) or "return" (returns -> cumulative index)
    description = "..."
    aliases = ["rut", "iwm"]
    series = { yahoo = "IWM", stooq = "iwm.us", files = "prices/IWM.csv" }
    prominence = 0.9                  # optional, 0 to 1: weight of its news in the headlines
                                      # (default 0.8 for the segments of `main`, else 0.5)

    [scorecard.weights]               # optional: pillar weights of `rotascope scorecard`
    valuation = 2

    [[pairs]]
    name = "small-vs-large"
    a = "small-caps"
    b = "large-caps"
    description = "Small caps vs large caps"

    [report]                          # optional: valuation, factors, drivers, events of the
    factors = ["ff-momentum"]         # report (see rotascope.report.settings)

    [breadth]                         # optional: price panel and members per segment for
    prices = "universe/us.parquet"    # breadth (see rotascope.data.breadth_settings)

Built-in universes live in ``rotascope/data/universes/<name>.toml``.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from rotascope.data.breadth_settings import BreadthSettings, parse_breadth_settings
from rotascope.errors import InputError
from rotascope.formatting import one_line

__all__ = [
    "BUILTIN_UNIVERSES",
    "Pair",
    "Segment",
    "Universe",
    "builtin_universe_names",
    "load_universe",
    "parse_universe",
]

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
BUILTIN_UNIVERSES = ("sample", "us")


@dataclass(frozen=True)
class Segment:
    """A named slice of the market with its series per provider.

    Attributes
    ----------
    name : str
        Canonical name (``"small-caps"``).
    display : str
        Name used in sentences (``"Russell 2000"``).
    group : str
        Group for tables and the RRG (``"size"``, ``"style"``, ``"sector"``, ``"factor"``).
    kind : {"price", "return"}
        ``"return"`` series (factors, portfolios) are compounded into an index for price analytics.
    series : dict
        Provider name -> symbol.
    prominence : float, optional
        Weight of the segment's news in the headlines, 0 to 1 (see
        :meth:`Universe.prominence_of`).
    tracks : str
        The segment whose index this one tracks (an ETF and its index, ``"sp500-index"``), or
        ``""``: their moves of a day tell one story, told by the more newsworthy of the two.
    """

    name: str
    display: str
    group: str = ""
    kind: str = "price"
    description: str = ""
    aliases: tuple[str, ...] = ()
    series: dict[str, str] = field(default_factory=dict)
    prominence: float | None = None
    tracks: str = ""


@dataclass(frozen=True)
class Pair:
    """A rotation seen as segment ``a`` versus segment ``b``."""

    name: str
    a: str
    b: str
    description: str = ""


@dataclass(frozen=True)
class Universe:
    """The segments and pairs a user follows, loaded from TOML."""

    name: str
    description: str
    benchmark: str
    provider: str
    segments: tuple[Segment, ...]
    pairs: tuple[Pair, ...]
    main: tuple[str, ...] = ()
    rrg_benchmark: str = ""
    rrg_group: str = ""
    origin: str = ""
    scorecard: dict[str, Any] = field(default_factory=dict)
    #: The raw ``[report]`` table, parsed by :func:`rotascope.report.settings.report_settings`.
    report_table: dict[str, Any] = field(default_factory=dict)
    breadth: BreadthSettings | None = None

    def segment(self, name: str) -> Segment:
        """Return the segment called ``name`` or having it as an alias (case-insensitive).

        Raises
        ------
        InputError
            When no segment matches; the message lists the segment names.
        """
        key = name.strip().lower()
        for seg in self.segments:
            if seg.name == key or key in (a.lower() for a in seg.aliases):
                return seg
        names = ", ".join(s.name for s in self.segments)
        hint = self.suggest_segment(name)
        hint = f" (did you mean {hint!r}?)" if hint else ""
        raise InputError(
            f"unknown segment {name!r} in universe {self.name!r}{hint}; segments: {names}"
        )

    def suggest_segment(self, name: str) -> str | None:
        """The segment whose name or alias is closest to a misspelt ``name`` (difflib ratio at
        least 0.75), or None."""
        key = name.strip().lower()
        spelled = {s.name: s.name for s in self.segments}
        spelled.update({a.lower(): s.name for s in self.segments for a in s.aliases})
        close = difflib.get_close_matches(key, list(spelled), n=1, cutoff=0.75)
        return spelled[close[0]] if close else None

    def prominence_of(self) -> dict[str, float]:
        """Segment name -> weight of its news in the headlines: the segment's ``prominence``,
        else 0.8 for the segments of ``main`` and 0.5 for the others."""
        return {s.name: s.prominence if s.prominence is not None else
                (0.8 if s.name in self.main else 0.5) for s in self.segments}

    def tracks_of(self) -> dict[str, str]:
        """Segment name -> the segment it tracks (its ``tracks``), for the segments that have one."""
        return {s.name: s.tracks for s in self.segments if s.tracks}

    def has_segment(self, name: str) -> bool:
        """True when ``name`` is a segment name or alias of this universe."""
        try:
            self.segment(name)
        except InputError:
            return False
        return True

    def pair(self, name: str) -> Pair:
        """Return the pair called ``name`` (InputError listing the pairs otherwise)."""
        for p in self.pairs:
            if p.name == name.strip().lower():
                return p
        names = ", ".join(p.name for p in self.pairs)
        raise InputError(f"unknown pair {name!r} in universe {self.name!r}; pairs: {names}")


def builtin_universe_names() -> list[str]:
    """Names of the universes shipped with rotascope."""
    return list(BUILTIN_UNIVERSES)


def _str(table: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if value is None:
        raise InputError(f"{where}: missing required key {key!r}")
    if not isinstance(value, str):
        raise InputError(f"{where}: {key!r} must be a string (got {type(value).__name__})")
    return value


def _strs(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: {key!r} must be a list of strings")
    return tuple(value)


def parse_universe(doc: dict[str, Any], *, origin: str) -> Universe:
    """Build a :class:`Universe` from a parsed TOML document, checking every reference.

    Parameters
    ----------
    doc : dict
        The TOML document.
    origin : str
        File name or built-in name, for error messages.

    Raises
    ------
    InputError
        Missing keys, bad names, duplicated names or aliases, pairs or settings naming unknown
        segments.
    """
    name = _str(doc, "name", origin)
    segments: list[Segment] = []
    seen: dict[str, str] = {}
    raw_segments = doc.get("segments", [])
    if not isinstance(raw_segments, list) or not raw_segments:
        raise InputError(f"{origin}: a universe needs at least one [[segments]] table")
    for i, raw in enumerate(raw_segments, start=1):
        where = f"{origin}: segment {i}"
        if not isinstance(raw, dict):
            raise InputError(f"{where} must be a table (got {type(raw).__name__} {raw!r:.40})")
        seg_name = _str(raw, "name", where)
        where = f"{origin}: segment {seg_name!r}"
        if not _NAME.match(seg_name):
            raise InputError(f"{where}: name must be lower-case letters, digits, '.', '_' or '-'")
        kind = _str(raw, "kind", where, "price")
        if kind not in ("price", "return"):
            raise InputError(f"{where}: kind must be one of: price, return (got {kind!r})")
        series = raw.get("series", {})
        if not isinstance(series, dict) or not series or not all(
            isinstance(v, str) for v in series.values()
        ):
            raise InputError(f"{where}: 'series' must map provider names to symbols")
        aliases = _strs(raw, "aliases", where)
        weight = raw.get("prominence")
        if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int | float)
                                   or not 0.0 <= float(weight) <= 1.0):
            raise InputError(f"{where}: prominence must be a number from 0 to 1 (got {weight!r})")
        for key in (seg_name, *(a.lower() for a in aliases)):
            if key in seen:
                raise InputError(f"{where}: name or alias {key!r} is already used by {seen[key]!r}")
            seen[key] = seg_name
        segments.append(
            Segment(
                name=seg_name,
                display=_str(raw, "display", where, seg_name),
                group=_str(raw, "group", where, ""),
                kind=kind,
                description=_str(raw, "description", where, ""),
                aliases=aliases,
                series=dict(series),
                prominence=None if weight is None else float(weight),
                tracks=_str(raw, "tracks", where, "").strip().lower(),
            )
        )
    names = {s.name for s in segments}
    for seg in segments:
        if seg.tracks and (seg.tracks not in names or seg.tracks == seg.name):
            why = "itself" if seg.tracks == seg.name else f"unknown segment {seg.tracks!r}"
            raise InputError(f"{origin}: segment {seg.name!r}: tracks names {why}")

    def known(ref: str, where: str) -> str:
        if ref not in names:
            raise InputError(f"{where}: unknown segment {ref!r}")
        return ref

    pairs: list[Pair] = []
    raw_pairs = doc.get("pairs", [])
    if not isinstance(raw_pairs, list) or not all(isinstance(r, dict) for r in raw_pairs):
        raise InputError(f"{origin}: 'pairs' must be a list of tables ([[pairs]])")
    for i, raw in enumerate(raw_pairs, start=1):
        where = f"{origin}: pair {i}"
        pair_name = _str(raw, "name", where)
        where = f"{origin}: pair {pair_name!r}"
        a = known(_str(raw, "a", where), where)
        b = known(_str(raw, "b", where), where)
        if a == b:
            raise InputError(f"{where}: a and b are the same segment {a!r}")
        if any(p.name == pair_name for p in pairs):
            raise InputError(f"{where}: duplicated pair name")
        pairs.append(Pair(pair_name, a, b, _str(raw, "description", where, "")))
    benchmark = known(_str(doc, "benchmark", origin, segments[0].name), f"{origin}: benchmark")
    rrg = doc.get("rrg", {})
    if not isinstance(rrg, dict):
        raise InputError(f"{origin}: 'rrg' must be a table")
    rrg_benchmark = known(_str(rrg, "benchmark", f"{origin}: rrg", benchmark), f"{origin}: rrg")
    main = tuple(known(m, f"{origin}: main") for m in _strs(doc, "main", origin))
    card = doc.get("scorecard", {})
    if not isinstance(card, dict):
        raise InputError(f"{origin}: 'scorecard' must be a table (pillars, weights)")
    report = doc.get("report", {})
    if not isinstance(report, dict):
        raise InputError(f"{origin}: 'report' must be a table")
    return Universe(
        name=name,
        description=_str(doc, "description", origin, ""),
        benchmark=benchmark,
        provider=_str(doc, "provider", origin, "store"),
        segments=tuple(segments),
        pairs=tuple(pairs),
        main=main or tuple(s.name for s in segments[:6]),
        rrg_benchmark=rrg_benchmark,
        rrg_group=_str(rrg, "group", f"{origin}: rrg", ""),
        origin=origin,
        scorecard=card,
        report_table=report,
        breadth=parse_breadth_settings(doc.get("breadth"), origin=origin),
    )


def load_universe(name_or_path: str | Path = "us") -> Universe:
    """Load a built-in universe by name (``"us"``, ``"sample"``) or a universe TOML file.

    Parameters
    ----------
    name_or_path : str or Path, default "us"
        A built-in name (:data:`BUILTIN_UNIVERSES`), else the path of a UTF-8 TOML file in the
        layout of the module docstring.

    Returns
    -------
    Universe
        The parsed and checked universe (:func:`parse_universe`); ``origin`` is
        ``"built-in universe 'us'"`` or the path as given.

    Notes
    -----
    Resolution: ``str(name_or_path)`` equal to a built-in name reads
    ``rotascope/data/universes/<name>.toml`` from the package (a file of that name in the
    working folder is not looked at); anything else is a path. A path without a suffix that
    does not exist is reported as an unknown universe (the message lists the built-in
    names); a path that is not a file as "no such universe file". The text must decode as
    UTF-8 (a leading byte-order mark, as Windows editors write, is dropped) and parse as
    TOML; :func:`parse_universe` then checks the content. Every error is one line naming the
    file.

    Raises
    ------
    InputError
        Unknown built-in name, missing file, invalid TOML or invalid content.
    """
    text_name = str(name_or_path)
    if text_name in BUILTIN_UNIVERSES:
        ref = resources.files("rotascope.data") / "universes" / f"{text_name}.toml"
        text = ref.read_text(encoding="utf-8")
        origin = f"built-in universe {text_name!r}"
    else:
        path = Path(text_name)
        if not path.suffix and not path.exists():
            raise InputError(
                f"unknown universe {text_name!r}; built-in: {', '.join(BUILTIN_UNIVERSES)} "
                "(or give a .toml file)"
            )
        if not path.is_file():
            raise InputError(f"{path}: no such universe file")
        origin = str(path)
        try:
            text = path.read_bytes().decode("utf-8-sig")  # a BOM (Windows editors) is dropped
        except OSError as exc:
            raise InputError(f"{origin}: cannot read ({exc.strerror or exc})") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{origin}: not UTF-8 (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                "TOML files are UTF-8: save it as UTF-8"
            ) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{origin}: invalid TOML ({one_line(exc)})") from None
    except RecursionError:
        raise InputError(f"{origin}: invalid TOML (arrays or tables nested too deeply)") from None
    return parse_universe(doc, origin=origin)
