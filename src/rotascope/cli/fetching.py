"""What ``rotascope data fetch`` and ``rotascope update`` share: resolving segments into
(name, provider, symbol), building the providers, fetching with one progress bar, the exit code.

The fetching itself is :func:`rotascope.data.refresh.refresh_many` (incremental, each target
falling back to its stored copy on its own).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rotascope.cli.console import err_console, safe
from rotascope.cli.exits import BAD_INPUT, OK, UNAVAILABLE
from rotascope.data.universe import load_universe
from rotascope.errors import InputError

if TYPE_CHECKING:
    from rotascope.data.providers.base import Provider
    from rotascope.data.refresh import TargetOutcome

__all__ = ["FREE_PROVIDERS", "HTTP_PROVIDERS", "PROVIDER_PREFERENCE", "Plan", "exit_code_for",
           "fetch_plan", "make_providers", "plan_targets"]

#: Providers tried for a segment when --provider is not given, in this order.
PROVIDER_PREFERENCE = ("stooq", "yahoo", "french", "fred", "files")
#: The providers that need neither a key nor an optional package (``rotascope update``).
FREE_PROVIDERS = ("stooq", "french", "fred")
#: The providers that take ``base_url``, ``timeout`` and ``retries``.
HTTP_PROVIDERS = ("stooq", "fred", "french")

#: (stored name, provider name, provider symbol) per target, in order.
Plan = list[tuple[str, str, str]]


def plan_targets(targets: Sequence[str], provider: str | None, universe_name: str,
                 data_dir: Path | None, *, preference: Sequence[str] = PROVIDER_PREFERENCE,
                 skipped: list[str] | None = None) -> Plan:
    """Resolve targets (segments of the universe, or symbols of ``provider``) into a plan.

    No targets: every segment of the universe. A segment with no series for a provider of
    ``preference`` raises :class:`InputError`, or is appended to ``skipped`` when given.
    """
    universe = load_universe(universe_name)
    if not targets:
        targets = [s.name for s in universe.segments]
    resolved: Plan = []
    for target in targets:
        if universe.has_segment(target):
            seg = universe.segment(target)
            if provider is not None:
                if provider not in seg.series:
                    have = ", ".join(sorted(seg.series))
                    raise InputError(f"segment {seg.name!r} has no {provider} series (has: {have})")
                resolved.append((seg.name, provider, seg.series[provider]))
                continue
            choices = [p for p in preference if p in seg.series
                       and (p != "files" or data_dir is not None)]
            if not choices:
                if skipped is not None:
                    skipped.append(seg.name)
                    continue
                raise InputError(f"segment {seg.name!r} has no series for a network provider "
                                 f"(has: {', '.join(sorted(seg.series))})")
            resolved.append((seg.name, choices[0], seg.series[choices[0]]))
        else:
            if provider is None:
                hint = universe.suggest_segment(target)
                hint = f" (did you mean {hint!r}?)" if hint else ""
                raise InputError(f"{target!r} is not a segment of universe {universe.name!r}"
                                 f"{hint}; give --provider to fetch it as a symbol")
            resolved.append((target, provider, target))
    return resolved


def make_providers(plan: Plan, *, data_dir: Path | None = None,
                   base_urls: Mapping[str, str] | None = None, timeout: float | None = None,
                   retries: int | None = None) -> dict[str, Provider]:
    """One provider per provider name of ``plan``; ``base_urls`` maps a provider name to its
    endpoint (a mirror, a proxy, a test server)."""
    from rotascope.data.providers.registry import make_provider

    http: dict[str, object] = {k: v for k, v in (("timeout", timeout), ("retries", retries))
                               if v is not None}
    providers: dict[str, Provider] = {}
    for _, pname, _ in plan:
        if pname in providers:
            continue
        if pname == "files":
            options: dict[str, object] = {"root": data_dir}
        elif pname in HTTP_PROVIDERS:
            options = dict(http)
            if base_urls and pname in base_urls:
                options["base_url"] = base_urls[pname]
        else:
            options = {}
        providers[pname] = make_provider(pname, **options)
    return providers


def fetch_plan(plan: Plan, providers: Mapping[str, Provider], *, full: bool = False,
               quiet: bool = False) -> list[TargetOutcome]:
    """Refresh every target of ``plan`` into the store (:func:`refresh_many`), with one Rich
    progress bar on stderr: hidden with ``quiet``, when stderr is not a terminal, or for a
    single target."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from rotascope.data.refresh import refresh_many
    from rotascope.data.store import Store

    console = err_console()
    hidden = quiet or not console.is_terminal or len(plan) < 2
    with Store() as store, Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=console, disable=hidden, transient=True,
    ) as progress:
        task = progress.add_task("fetching", total=len(plan))
        done: list[str] = []

        def step(pname: str, symbol: str) -> None:
            # Drawn now, not at the next 1/10 s auto-refresh: a fast target would otherwise
            # never show its name (one line redrawn in place; cheap beside a request).
            progress.update(task, description=safe(f"{pname}:{symbol}"), completed=len(done),
                            refresh=True)
            done.append(symbol)

        outcomes = refresh_many(store, [(n, providers[p], s) for n, p, s in plan],
                                full=full, on_target=step)
        progress.update(task, completed=len(done))
    return outcomes


def exit_code_for(outcomes: Sequence[TargetOutcome]) -> int:
    """0 when nothing failed; 3 when every failure was the provider's; else 2."""
    failed = [o for o in outcomes if o.outcome == "failed"]
    if not failed:
        return OK
    return UNAVAILABLE if all(o.unavailable for o in failed) else BAD_INPUT
