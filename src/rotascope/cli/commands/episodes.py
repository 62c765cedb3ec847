"""``rotascope episodes A B``: the rotation episodes of A vs B."""

from __future__ import annotations

from typing import Annotated, cast

import typer

from rotascope.cli.console import out_console, print_json
from rotascope.cli.exits import exit_on_error
from rotascope.cli.options import AsOfOpt, DataDirOpt, JsonOpt, UniverseOpt, parse_as_of
from rotascope.cli.render import Col, print_table
from rotascope.cli.subjects import pair_subjects
from rotascope.narrative.wording import signed_pct
from rotascope.pipeline.pairs import pair_episodes, pair_profile

__all__ = ["episodes", "register"]


def episodes(
    a: Annotated[str, typer.Argument(help="Segment or stored series A.")],
    b: Annotated[str, typer.Argument(help="Segment or stored series B.")],
    as_of: AsOfOpt = None,
    universe: UniverseOpt = "us",
    data_dir: DataDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List the rotation episodes of A vs B (N-day relative moves beyond k trailing sigmas)."""
    with exit_on_error():
        when = parse_as_of(as_of)
        sa, sb = pair_subjects(a, b, universe, data_dir, when)
        frame = pair_episodes(sa, sb, when)
        prof = pair_profile(sa, sb)
    if json_out:
        print_json({"a": sa.name, "b": sb.name, "n": prof.episode_rows, "k": 2.0,
                    "lookback": prof.episode_lookback, "cooloff": prof.episode_cooloff,
                    "episodes": frame})
        return
    console = out_console()
    rows = [[f"{ep.start:%Y-%m-%d}", f"{ep.end:%Y-%m-%d}",
             sa.display if ep.direction == "a_leads" else sb.display, str(ep.duration),
             f"{ep.peak_date:%Y-%m-%d}", signed_pct(cast(float, ep.peak_move)),
             f"{ep.peak_zscore:+.1f}", "yes" if ep.ongoing else ""]
            for ep in frame.itertuples(index=False)]
    print_table(console, f"Rotation episodes: {sa.display} vs {sb.display} "
                         f"({prof.row_label(prof.episode_rows)} relative move beyond 2 trailing "
                         "sigmas)",
                [Col("start", "date", "right"), Col("end", "date", "right"),
                 Col("toward", "words", "right"),
                 Col("duration", "number", "right", short="rows", drop=2),
                 Col("peak date", "date", "right"), Col("peak move", "number", "right"),
                 Col("peak z", "number", "right", drop=3),
                 Col("ongoing", "number", "right", short="now", drop=1)],
                rows, what="episode")


def register(app: typer.Typer) -> None:
    """Add ``rotascope episodes`` to ``app``."""
    app.command("episodes")(episodes)
