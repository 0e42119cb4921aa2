"""Painting of table cells (badges, markers)."""
