"""Plain-text output of the command-line tools."""
from __future__ import annotations

import re


def format_table(headers: tuple[str, ...], rows: list[tuple]) -> str:
    """A plain-text table. A cell holding several lines takes several lines of the table."""
    cells = [[str(value).splitlines() or [""] for value in row] for row in [headers, *rows]]
    widths = [max(len(line) for row in cells for line in row[i]) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        for k in range(max(len(cell) for cell in row)):
            parts = [(cell[k] if k < len(cell) else "").ljust(width)
                     for cell, width in zip(row, widths, strict=True)]
            lines.append("  ".join(parts).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def strip_ansi(text: str) -> str:
    """``text`` without the ANSI colour codes of tracebacks."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
