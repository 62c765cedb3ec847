"""The report as GitHub-flavoured Markdown: the same facts and tables as the HTML page, no charts.

The title, dateline and latest data, then every section of
:data:`rotascope.report.sections.SECTIONS` in order, each rendered by its own module.
"""

from __future__ import annotations

from rotascope.formatting import format_date
from rotascope.report.html import shown_sections
from rotascope.report.markdown_base import md_escape
from rotascope.report.model import ReportModel, freshness_line
from rotascope.report.sections.base import Rendering

__all__ = ["md_escape", "render_markdown"]


def render_markdown(model: ReportModel, *, max_rows: int = 40) -> str:
    """Render a report as Markdown.

    Parameters
    ----------
    model : ReportModel
        The report content.
    max_rows : int, default 40
        Longest list of rotation episodes or analog moves shown per pair (latest first); the JSON
        output has them all.

    Returns
    -------
    str
        GitHub-flavoured Markdown with the sections of the HTML report and the same numbers,
        formatted the same way; text is escaped.
    """
    r = Rendering(model=model, keep=frozenset(h.anchor for h in model.headlines),
                  max_rows=max_rows)
    out = [f"# {md_escape(model.title)}", ""]
    out.append(
        f"As of {format_date(model.as_of, style='long')} · universe {md_escape(model.universe)} · "
        f"rotascope {md_escape(model.version)}"
    )
    fresh = freshness_line(model.sources)
    if fresh:
        out += ["", f"Latest data: {md_escape(fresh)}"]
    out.append("")
    for s in shown_sections(model):
        out += s.markdown(model.panels.get(s.key), r)
    return "\n".join(out).rstrip("\n") + "\n"
