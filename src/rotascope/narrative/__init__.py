"""Narrative: facts computed by analytics, stated as plain sentences with their evidence."""
