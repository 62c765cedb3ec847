"""Markdown building blocks shared by the report's Markdown sections."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["md_escape", "md_more", "md_table", "MD_SAMPLE", "md_bullets"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~]|&(?=#?[A-Za-z0-9]+;))")


def md_escape(text: object) -> str:
    r"""Escape Markdown syntax, raw HTML and entities in a piece of text; newlines become spaces.

    Examples
    --------
    >>> print(md_escape("a|b <i> S&P &amp;"))
    a\|b \<i\> S&P \&amp;
    """
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def md_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str]
) -> list[str]:
    """A pipe table; ``align`` holds ``"l"`` or ``"r"`` per column; cells are escaped here."""
    out = ["| " + " | ".join(md_escape(h) for h in headers) + " |"]
    out.append("|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|")
    for row in rows:
        out.append("| " + " | ".join(md_escape(c) for c in row) + " |")
    return out


def md_more(shown: int, total: int, what: str) -> list[str]:
    """The "Showing N of M" line under a capped list (nothing when nothing is hidden)."""
    if shown >= total:
        return []
    return [f"Showing {shown} of {total} {what}, latest first; the JSON output lists them all.", ""]


#: The tag of a section computed from made-up sample files.
MD_SAMPLE = "(sample data: made-up numbers)"


def md_bullets(sentences: list[str]) -> list[str]:
    """Sentences as a bullet list, with a blank line after (nothing for none)."""
    return [f"- {md_escape(s)}" for s in sentences] + ([""] if sentences else [])
