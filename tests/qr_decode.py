"""Reading a QR code back from what the course draws, for the tests: the modules of an inline
SVG (omcd.qr.qr_svg) or of terminal block characters (omcd.qr.qr_terminal), decoded by an
independent decoder (zxing-cpp, from PyPI)."""

from __future__ import annotations

import re

import numpy as np
import zxingcpp

PIXELS_PER_MODULE = 4


def picture(dark: np.ndarray) -> np.ndarray:
    """A black-on-white greyscale picture of a module matrix (True = dark), with a quiet zone."""
    padded = np.pad(dark, 4, constant_values=False)
    image = np.where(padded, 0, 255).astype(np.uint8)
    return np.kron(image, np.ones((PIXELS_PER_MODULE, PIXELS_PER_MODULE), dtype=np.uint8))


def decode(dark: np.ndarray) -> str:
    found = zxingcpp.read_barcodes(picture(dark), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"{len(found)} QR codes found in the picture"
    return found[0].text


def svg_modules(svg: str) -> np.ndarray:
    """The dark modules drawn by the SVG's stroked path (``M x y`` then ``h n`` / ``m dx dy``)."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    path = re.search(r'<path stroke="#000" d="([^"]+)"', svg).group(1)
    dark = np.zeros((size, size), dtype=bool)
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHh])([-\d. ]+)", path):
        values = [float(v) for v in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:  # a horizontal run of dark modules along row y - 0.5 (the stroke is centred)
            run = values[0]
            row = int(y - 0.5)
            dark[row, int(x) : int(x + run)] = True
            x += run
    return dark


def terminal_modules(text: str) -> np.ndarray:
    """Modules drawn by segno's compact terminal output: each character is two rows, a full
    block is light (a dark terminal shows light as a filled cell), a space is dark."""
    top = {"█": False, "▀": False, "▄": True, " ": True}
    bottom = {"█": False, "▀": True, "▄": False, " ": True}
    lines = [line for line in text.splitlines() if line.strip(" ") or line]
    rows = []
    for line in lines:
        rows.append([top[c] for c in line])
        rows.append([bottom[c] for c in line])
    return np.array(rows, dtype=bool)


def terminal_code(text: str) -> np.ndarray:
    """The code's modules in terminal output, without the light border segno draws around it."""
    modules = terminal_modules(text)
    rows = np.where(modules.any(axis=1))[0]
    cols = np.where(modules.any(axis=0))[0]
    return modules[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
