"""``rotascope report``: write the rotation report (HTML, Markdown or JSON), print its summary."""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from rotascope.cli.console import out_console, safe
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, DataDirOpt, parse_as_of
from rotascope.cli.progress import section_status
from rotascope.cli.render import Col, bullet, line, print_table
from rotascope.cli.subjects import data_source
from rotascope.data.loader import DataSource
from rotascope.data.store import Store
from rotascope.data.universe import Universe, load_universe
from rotascope.errors import InputError, MissingDataError, RotascopeWarning
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.subjects import parse_windows
from rotascope.report.build import build_report
from rotascope.report.model import ReportModel

if TYPE_CHECKING:
    from rotascope.cli.commands.update import UpdateResult

__all__ = ["CURRENT_DATA_HINT", "choose_universe", "register", "report", "update_note",
           "write_atomically"]

Format = Literal["html", "md", "json"]
SUFFIX = {"html": ".html", "md": ".md", "json": ".json"}
SAMPLE_NOTE = ("embedded offline sample data (arch.data, linearmodels): real public histories "
               "shipped inside Python packages, ending 2017-2018")
#: The summary's line when ``auto`` fell back to the sample because nothing is stored.
CURRENT_DATA_HINT = ("embedded 2018 sample: run `rotascope update` for current data (Stooq, "
                     "Ken French; `rotascope report --update` does both)")


def choose_universe(name: str, source: DataSource) -> tuple[Universe, str]:
    """Resolve ``--universe``; ``auto`` is ``us`` when its data are available, else ``sample``.

    Returns the universe and a note on where its data come from.
    """
    if name != "auto":
        u = load_universe(name)
        return u, SAMPLE_NOTE if u.provider == "sample" else _data_note(u, source)
    us = load_universe("us")
    with Store(source.store_path, read_only=True) as store:
        stored = any(store.exists(s.name) for s in us.segments)
    if stored or source.data_dir is not None:
        return us, _data_note(us, source)
    return load_universe("sample"), SAMPLE_NOTE + "; no stored data for universe 'us' yet"


def _data_note(u: Universe, source: DataSource) -> str:
    where = "the local store"
    if source.data_dir is not None:
        where += f" and files under {source.data_dir}"
    return f"universe {u.name!r}: series from {where}"


def _update_first(universe: str, quiet: bool, base_url: list[str] | None) -> UpdateResult:
    """``rotascope update`` of the universe the report will use (``auto``: ``us``); its
    failures are shown, never fatal: the report goes on with what is stored."""
    from rotascope.cli.commands.update import parse_base_urls, print_summary, run_update

    name = "us" if universe == "auto" else universe
    if load_universe(name).provider == "sample":
        raise InputError(f"--update: universe {name!r} is the embedded sample: nothing to fetch")
    result = run_update(name, base_urls=parse_base_urls(base_url), quiet=quiet)
    if not quiet and not result.offline:
        print_summary(result)
    return result


def update_note(result: UpdateResult, used: Universe) -> str:
    """One honest line: which data the report uses after ``--update``."""
    if result.offline:
        from rotascope.cli.commands.update import PROVIDER_TITLES

        why = "no answer from " + ", ".join(PROVIDER_TITLES.get(p, p) for p in result.unreachable)
        what = ("using the embedded sample" if used.provider == "sample"
                else "using the stored data, not updated")
        return f"offline ({why}): {what}"
    if used.provider == "sample":
        return "update failed (nothing stored): using the embedded sample"
    fetched = result.updated + result.current
    where = "/".join(result.providers_used)
    if fetched == 0:
        return f"update from {where} failed: using the stored data, not updated"
    return f"using current data from {where}"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(model: ReportModel, fmt: Format) -> str:
    """The report in one format."""
    if fmt == "html":
        from rotascope.report.html import render_html

        return render_html(model)
    if fmt == "md":
        from rotascope.report.markdown import render_markdown

        return render_markdown(model)
    from rotascope.report.jsonout import render_json

    return render_json(model)


def _summary(model: ReportModel) -> None:
    console = out_console()
    line(console, f"[bold]{safe(model.title)}[/] — as of {model.as_of:%Y-%m-%d}", markup=True)
    line(console, f"[dim]Data: {safe(model.data_note)}[/]", markup=True)
    if model.headlines:
        for h in model.headlines:
            tag = " [yellow](sample data: made-up numbers)[/]" if h.sample else ""
            bullet(console, f"{safe(h.sentence)}{tag}", markup=True)
    else:
        line(console, "No notable facts today.")
    windows = ("1d", "5d", "1m", "3m", "ytd", "1y")
    main = set(load_universe(model.universe).main) if model.universe in ("us", "sample") else None
    print_table(console, "Performance",
                [Col("segment", "words"), *(Col(c, "number", "right") for c in windows)],
                [[str(display), *(signed_pct(row[c]) for c in windows)]
                 for display, row in model.performance.iterrows()
                 if main is None or row["segment"] in main], what="segment")
    if model.pairs:
        print_table(console, "Pairs",
                    [Col("pair", "words"), Col("window", "key", "right"),
                     Col("relative move", "number", "right", short="move"),
                     Col("z (5y)", "number", "right"),
                     Col("percentile", "number", "right", short="pct")],
                    [[f"{p.a_display} vs {p.b_display}", p.window, signed_pct(p.move),
                      f"{p.zscore:+.1f}" if p.zscore == p.zscore else "n/a",
                      f"{p.percentile * 100:.0f}" if p.percentile == p.percentile else "n/a"]
                     for p in model.pairs], what="pair")


def report(
    as_of: AsOfOpt = None,
    universe: Annotated[str, typer.Option("--universe", "-u", help="us, sample, a TOML file, or auto (us when its data are stored or --data-dir is given, else the embedded sample).")] = "auto",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default out/report-<as-of>.<ext>); - writes the report to stdout (and no summary).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html, md or json.")] = "html",
    data_dir: DataDirOpt = None,
    open_it: Annotated[bool, typer.Option("--open", help="Open the report in a browser.")] = False,
    allow_stale: Annotated[bool, typer.Option("--allow-stale", help="Report even when --as-of is after every segment's data (stale facts are never headlines).")] = False,
    windows: Annotated[str | None, typer.Option("--windows", "-w", help="Row windows of the facts, e.g. 1d,2d,3d,5d,21d,100d (default 1d,5d,21d,63d,252d; m for monthly series).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress line and no summary: only warnings and errors.")] = False,
    base_url: Annotated[list[str] | None, typer.Option("--base-url", help="With --update: endpoint of a provider (a mirror or proxy), PROVIDER=URL (stooq, fred, french; repeatable) or a URL for all three.")] = None,
    update: Annotated[bool, typer.Option("--update", help="First fetch what is new from Stooq, FRED and Ken French (`rotascope update`); offline (no answer within a few seconds) or on failure, report on what is stored or the embedded sample, and say which.")] = False,
) -> None:
    """Write the rotation report (HTML, Markdown or JSON) and print its summary."""
    to_stdout = out is not None and str(out) == "-"
    with exit_on_error():
        if fmt not in SUFFIX:
            raise InputError(f"--format must be one of: html, md, json (got {fmt!r})")
        if to_stdout and open_it:
            raise InputError("--open needs a file: it cannot open a report written to stdout (-o -)")
        when = parse_as_of(as_of)
        if out is not None and out.is_dir():
            raise InputError(f"--out {out}: is a folder; give a file name such as {out / 'report.html'}")
        source = data_source(data_dir, when)
        updated = _update_first(universe, quiet or to_stdout, base_url) if update else None
        u, note = choose_universe(universe, source)
        used = None if updated is None else update_note(updated, u)

        left_out: list[str] = []

        def missing(name: str, exc: Exception) -> None:
            if isinstance(exc, MissingDataError) or not isinstance(exc, InputError):
                left_out.append(name)
            else:  # a bad file: say which and what is wrong, once per segment
                warnings.warn(f"segment {name!r} left out: {exc}", RotascopeWarning, stacklevel=2)

        with section_status(quiet) as step:
            model = build_report(u, source, when, on_missing=missing, data_note=note,
                                 allow_stale=allow_stale, windows=parse_windows(windows),
                                 progress=step)
            step("writing the report")
            text = render(model, fmt)  # type: ignore[arg-type]
        if left_out:
            shown = ", ".join(left_out[:8]) + (f" and {len(left_out) - 8} more" if len(left_out) > 8 else "")
            warnings.warn(f"left out for lack of data: {shown} (run `rotascope data fetch` or "
                          "pass --data-dir)", RotascopeWarning, stacklevel=2)
        if to_stdout:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            sys.stdout.flush()
            return
        path = out or Path("out") / f"report-{model.as_of:%Y-%m-%d}{SUFFIX[fmt]}"
        try:
            write_atomically(path, text)
        except OSError as exc:  # a full disk, a read-only folder, a name that is a folder
            raise InputError(f"{path}: cannot write the report ({exc.strerror or exc}); "
                             "nothing was written") from None
    if quiet:
        return
    if used is not None:
        line(out_console(), used)
    elif universe == "auto" and u.name == "sample":
        line(out_console(), CURRENT_DATA_HINT)
    _summary(model)
    line(out_console(), f"Report written to {path.resolve()}")
    if open_it:
        webbrowser.open(path.resolve().as_uri())


def register(app: typer.Typer) -> None:
    """Add ``rotascope report`` to ``app``."""
    app.command("report")(report)
