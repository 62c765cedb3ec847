"""``rotascope update``: fetch every segment of a universe from its free providers (Stooq, FRED,
Ken French: no key), incrementally, with one progress bar and a summary of what failed.

The fetching is ``rotascope data fetch``'s (:mod:`rotascope.cli.fetching`). Before it, one
bounded check (:func:`rotascope.data.online.unreachable`, a few seconds at most) finds the
providers whose host does not answer: their segments are not tried (a machine without network
learns it at once, not after every series has timed out), and :attr:`UpdateResult.offline` says
when no provider answered. ``rotascope report --update`` runs the same update first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import typer

from rotascope.cli.console import out_console, printable, safe
from rotascope.cli.exits import OK, UNAVAILABLE, exit_on_error
from rotascope.cli.fetching import (
    FREE_PROVIDERS,
    HTTP_PROVIDERS,
    exit_code_for,
    fetch_plan,
    make_providers,
    plan_targets,
)
from rotascope.cli.options import UniverseOpt
from rotascope.cli.render import bullet, line
from rotascope.data.refresh import TargetOutcome
from rotascope.errors import InputError

__all__ = ["PROVIDER_TITLES", "UpdateResult", "failure_lines", "parse_base_urls", "print_summary", "register",
           "run_update", "update"]

#: How the summary names the providers.
PROVIDER_TITLES = {"stooq": "Stooq", "fred": "FRED", "french": "Ken French"}


@dataclass(frozen=True)
class UpdateResult:
    """What :func:`run_update` did.

    Parameters
    ----------
    universe : str
        The universe updated.
    outcomes : list of TargetOutcome
        One per segment fetched, in the universe's order.
    unreachable : dict
        Provider name -> why its host did not answer (its segments were not fetched).
    not_tried : dict
        Provider name -> the segments of that provider left out because it was unreachable.
    skipped : list of str
        Segments without a series for a free provider.
    """

    universe: str
    outcomes: list[TargetOutcome] = field(default_factory=list)
    unreachable: dict[str, str] = field(default_factory=dict)
    not_tried: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def offline(self) -> bool:
        """True when no provider answered: nothing was fetched."""
        return bool(self.unreachable) and not self.outcomes

    @property
    def providers_used(self) -> list[str]:
        """Titles of the providers that were reached (in the order of their first segment)."""
        seen = dict.fromkeys(o.provider for o in self.outcomes)
        return [PROVIDER_TITLES.get(p, p) for p in seen]

    @property
    def updated(self) -> int:
        """Segments that got new rows (or were stored for the first time)."""
        return sum(1 for o in self.outcomes if o.result is not None and not o.result.used_stored_copy
                   and (o.result.rows_after > o.result.rows_before or o.result.rows_before == 0))

    @property
    def current(self) -> int:
        """Segments fetched without a new row: already current (revised overlap rows aside)."""
        return sum(1 for o in self.outcomes if o.result is not None and not o.result.used_stored_copy
                   and 0 < o.result.rows_before == o.result.rows_after)

    @property
    def exit_code(self) -> int:
        """As ``data fetch``: 0, 3 when every failure was a provider's, else 2."""
        code = exit_code_for(self.outcomes)
        if self.unreachable and code == OK:
            return UNAVAILABLE
        return code


def parse_base_urls(values: list[str] | None) -> dict[str, str]:
    """``--base-url`` values: ``PROVIDER=URL`` for one provider, or a bare URL for every HTTP
    provider (as ``data fetch --base-url``).

    >>> parse_base_urls(["stooq=http://127.0.0.1:8000/q/d/l/"])
    {'stooq': 'http://127.0.0.1:8000/q/d/l/'}
    """
    out: dict[str, str] = {}
    for value in values or []:
        name, sep, url = value.partition("=")
        if sep and name.strip().lower() in HTTP_PROVIDERS:
            out[name.strip().lower()] = url.strip()
        elif "://" in value:
            out.update(dict.fromkeys(HTTP_PROVIDERS, value.strip()))
        else:
            raise InputError(f"--base-url {value!r}: give a URL, or PROVIDER=URL with a "
                             f"provider among {', '.join(HTTP_PROVIDERS)}")
    return out


def run_update(universe: str = "us", *, full: bool = False, base_urls: dict[str, str] | None = None,
               timeout: float | None = None, retries: int | None = None, quiet: bool = False,
               probe_timeout: float | None = None) -> UpdateResult:
    """Fetch every segment of ``universe`` from its free providers into the store.

    Raises
    ------
    InputError
        Unknown universe, bad options, or a universe with no segment a free provider serves.
    StoreError
        The store cannot be read or written.
    """
    from rotascope.data.online import DEFAULT_TIMEOUT, unreachable

    skipped: list[str] = []
    plan = plan_targets([], None, universe, None, preference=FREE_PROVIDERS, skipped=skipped)
    if not plan:
        raise InputError(f"universe {universe!r} has no segment with a series for "
                         f"{', '.join(FREE_PROVIDERS)}: nothing to update")
    providers = make_providers(plan, base_urls=base_urls, timeout=timeout, retries=retries)
    urls = {name: str(getattr(p, "base_url", "")) for name, p in providers.items()}
    down = unreachable(set(urls.values()),
                       DEFAULT_TIMEOUT if probe_timeout is None else probe_timeout)
    dead = {name: down[url] for name, url in urls.items() if url in down}
    not_tried: dict[str, list[str]] = {}
    for seg, pname, _ in plan:
        if pname in dead:
            not_tried.setdefault(pname, []).append(seg)
    live = [t for t in plan if t[1] not in dead]
    outcomes = fetch_plan(live, providers, full=full, quiet=quiet) if live else []
    return UpdateResult(universe, outcomes, dead, not_tried, skipped)


def print_summary(result: UpdateResult) -> None:
    """The summary: counts on one line, then one line per failure (segment and reason)."""
    console = out_console()
    failed = [o for o in result.outcomes if o.outcome == "failed"]
    kept = [o for o in result.outcomes if o.outcome == "stored copy"]
    not_tried = sum(len(v) for v in result.not_tried.values())
    parts = [f"{result.updated} updated", f"{result.current} already current"]
    if kept:
        parts.append(f"{len(kept)} kept the stored copy")
    parts.append(f"{len(failed) + not_tried} failed")
    where = "/".join(result.providers_used) or "no provider"
    line(console, f"Update of universe {result.universe!r} from {where}: {', '.join(parts)} "
                  f"(of {len(result.outcomes) + not_tried} segments).")
    for text in failure_lines(result):
        bullet(console, safe(text))
    for o in kept:
        bullet(console, safe(f"{o.name}: {o.message or o.outcome}"))
    if result.skipped:
        bullet(console, safe(f"no free provider (left out): {', '.join(result.skipped)}"))


def failure_lines(result: UpdateResult) -> list[str]:
    """One line per failed segment (``segment: reason``), one per unreachable provider."""
    out = []
    for pname, segments in result.not_tried.items():
        shown = ", ".join(segments[:6]) + (f" and {len(segments) - 6} more" if len(segments) > 6 else "")
        out.append(f"{PROVIDER_TITLES.get(pname, pname)} unreachable "
                   f"({result.unreachable[pname]}): not updated: {shown}")
    out += [f"{o.name}: {o.message or o.outcome}" for o in result.outcomes if o.outcome == "failed"]
    return out


def update(
    universe: UniverseOpt = "us",
    full: Annotated[bool, typer.Option("--full", help="Fetch the whole history instead of only what is new.")] = False,
    base_url: Annotated[list[str] | None, typer.Option("--base-url", help="Endpoint of a provider (a mirror or proxy): PROVIDER=URL (stooq, fred, french; repeatable), or a URL for all three.")] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", min=0.01, help="HTTP timeout in seconds (default 20).")] = None,
    retries: Annotated[int | None, typer.Option("--retries", min=0, help="Retries after a failed HTTP try (default 4).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary: only warnings and errors.")] = False,
) -> None:
    """Fetch every segment of the universe from Stooq, FRED and Ken French (no key), incrementally."""
    with exit_on_error():
        result = run_update(universe, full=full, base_urls=parse_base_urls(base_url),
                            timeout=timeout, retries=retries, quiet=quiet)
    if not quiet:
        print_summary(result)
    else:  # errors only, one line each
        for text in failure_lines(result):
            typer.echo(f"rotascope: error: {printable(text)}", err=True)
    if result.exit_code != OK:
        raise typer.Exit(code=result.exit_code)


def register(app: typer.Typer) -> None:
    """Add ``rotascope update`` to ``app``."""
    app.command("update")(update)

