#!/usr/bin/env python3
"""Checks the figures the notebooks draw (standard library only).

Every expected PNG of results/figures/ must exist, start with the PNG
signature, be larger than 10 kB and have a sane width and height (read from
its IHDR chunk). Prints one line per problem and exits 1 if there is any.

Usage: scripts/check_figures.py [FIGURES_DIR]   (default: results/figures)
"""
import pathlib
import struct
import sys

EXPECTED = ("isoflop.png", "loss_contours.png", "overtraining.png", "fit_diagnostics.png")
SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_BYTES = 10 * 1024
MIN_SIDE, MAX_SIDE = 300, 10000  # pixels


def problems(path):
    if not path.is_file():
        return [f"{path}: missing"]
    out = []
    size = path.stat().st_size
    if size <= MIN_BYTES:
        out.append(f"{path}: {size} bytes, expected more than {MIN_BYTES}")
    with path.open("rb") as f:
        head = f.read(8 + 8 + 13)
    if head[:8] != SIGNATURE:
        return out + [f"{path}: not a PNG (bad signature)"]
    if len(head) < 29:
        return out + [f"{path}: truncated before the IHDR chunk"]
    length, kind = struct.unpack(">I4s", head[8:16])
    if kind != b"IHDR" or length != 13:
        return out + [f"{path}: first chunk is {kind!r} of {length} bytes, expected IHDR of 13"]
    width, height = struct.unpack(">II", head[16:24])
    for name, value in (("width", width), ("height", height)):
        if not MIN_SIDE <= value <= MAX_SIDE:
            out.append(f"{path}: {name} {value} px outside {MIN_SIDE}..{MAX_SIDE}")
    if not 0.2 <= width / max(height, 1) <= 5:
        out.append(f"{path}: aspect ratio {width}x{height} px is implausible")
    return out


def main(argv):
    root = pathlib.Path(__file__).resolve().parent.parent
    figures = pathlib.Path(argv[1]) if len(argv) > 1 else root / "results" / "figures"
    found = [p for name in EXPECTED for p in problems(figures / name)]
    for line in found:
        print(line)
    if not found:
        print(f"check_figures: {len(EXPECTED)} figures OK in {figures}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
