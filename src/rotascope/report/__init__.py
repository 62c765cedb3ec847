"""Reports: one as-of date's facts, tables and charts as HTML, Markdown or JSON."""
