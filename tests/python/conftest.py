"""Shared helpers: run the CLI binary and read its CSV report."""
import csv
import io
import math
import os
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("SCALESIM_SOURCE_DIR",
                                  Path(__file__).resolve().parents[2]))
BINARY = os.environ.get("SCALESIM_BIN",
                        str(SOURCE_DIR / "build/release/src/cli/scalesim"))


def run_cli(*args, expect=0):
    """stdout (or stderr when expect != 0) of `scalesim ARGS`."""
    p = subprocess.run([BINARY, *args], capture_output=True, text=True)
    assert p.returncode == expect, (p.returncode, p.stderr)
    return p.stdout if expect == 0 else p.stderr.strip()


def cli_tables(*args):
    """{table name: (columns, rows of cell texts)} of `scalesim ARGS
    --format csv` (each table after a "# name" line; notes dropped)."""
    text = run_cli(*args, "--format", "csv")
    tables, name, lines = {}, None, []

    def flush():
        if name is not None and lines:
            rows = list(csv.reader(io.StringIO("\n".join(lines))))
            tables[name] = (rows[0], rows[1:])

    for line in text.splitlines():
        if line.startswith("# note:"):
            continue
        if line.startswith("# "):
            flush()
            name, lines = line[2:].strip(), []
        elif line.strip():
            lines.append(line)
    flush()
    if name is None:  # a sweep: one headerless CSV stream
        rows = [r for r in csv.reader(io.StringIO(text)) if r and
                not r[0].startswith("#")]
        tables["sweep"] = (rows[0], rows[1:])
    return tables


def same_cell(text, value):
    """Whether a CLI CSV cell equals a Python value exactly."""
    if text == "":
        return value is None or value == "" or (
            isinstance(value, float) and math.isnan(value))
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, int):
        return text == str(value)
    if isinstance(value, float):
        return float(text) == value or (math.isnan(value) and text == "nan")
    return text == str(value)


def assert_frame_equals_cli(frame, columns, rows):
    """Columns equal, every cell exactly equal (integers as ints)."""
    assert list(frame.columns) == columns
    assert len(frame) == len(rows)
    for i, row in enumerate(rows):
        for j, col in enumerate(columns):
            v = frame[col].iloc[i]
            if hasattr(v, "item"):
                v = v.item()
            assert same_cell(row[j], v), (col, i, row[j], v)


def assert_record_equals_cli(record, columns, rows):
    assert list(record) == columns
    for j, col in enumerate(columns):
        assert same_cell(rows[0][j], record[col]), (col, rows[0][j], record[col])


@pytest.fixture
def cli():
    return cli_tables
