"""The ``max_line_size`` given to DuckDB's ``read_csv`` for our own temporary CSV files."""

from __future__ import annotations

MIN_MAX_LINE_SIZE = 2 * 1024 * 1024


def max_line_size(longest_bytes: int) -> int:
    """2 MiB, or more when the file's longest line needs it. Keep it small: DuckDB sizes its read
    buffers from this value, and a huge one leaves a single buffer, hence a single thread (and a
    large allocation) for the whole file."""
    return max(MIN_MAX_LINE_SIZE, longest_bytes + 1024)
