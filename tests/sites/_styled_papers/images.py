"""Real image files, written with the standard library: PNGs of horizontal bands and
solid-colour lossless WebPs.

Each picture has colours of its own, so a screenshot of a page that misses one shows it.
A PNG's bands are a share of its height each, so the widths of one ``srcset`` look the
same once the browser scales them to the same box, as a photo's would.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

RGB = tuple[int, int, int]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png(width: int, height: int, bands: Sequence[RGB]) -> bytes:
    """An 8-bit RGB PNG of ``bands`` stacked top to bottom, each an equal share of the
    height."""
    rows = [b"\x00" + bytes(colour) * width for colour in bands]  # filter type 0: None
    raw = b"".join(rows[y * len(bands) // height] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB
    return (_PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def webp(width: int, height: int, colour: RGB) -> bytes:
    """A lossless WebP (VP8L) of one opaque colour.

    Every prefix code is a "simple code" of one symbol, which takes no bits to read, so the
    image data after the codes is empty: each pixel is that green, red, blue and alpha
    (the lossless bitstream of RFC 9649)."""
    if not (0 < width <= 16384 and 0 < height <= 16384):
        raise ValueError(f"a VP8L image is 1 to 16384 pixels a side, not {width}x{height}")
    red, green, blue = colour
    bits = _Bits()
    bits.put(width - 1, 14)
    bits.put(height - 1, 14)
    bits.put(0, 1)  # alpha_is_used: no
    bits.put(0, 3)  # version 0
    bits.put(0, 1)  # no transform
    bits.put(0, 1)  # no colour cache
    bits.put(0, 1)  # one prefix code group for the whole image
    for symbol in (green, red, blue, 255):  # green (and lengths), red, blue, alpha
        bits.put(1, 1)  # simple code
        bits.put(0, 1)  # of one symbol
        bits.put(1, 1)  # written in 8 bits
        bits.put(symbol, 8)
    bits.put(1, 1)  # distance code: simple, one symbol, written in 1 bit: 0
    bits.put(0, 1)
    bits.put(0, 1)
    bits.put(0, 1)
    data = b"\x2f" + bits.bytes()  # the VP8L signature byte
    chunk = b"VP8L" + struct.pack("<I", len(data)) + data + b"\x00" * (len(data) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


class _Bits:
    """Bits packed least significant first, as VP8L reads them."""

    def __init__(self) -> None:
        self._value = 0
        self._count = 0

    def put(self, value: int, width: int) -> None:
        if not 0 <= value < 1 << width:
            raise ValueError(f"{value} does not fit in {width} bits")
        self._value |= value << self._count
        self._count += width

    def bytes(self) -> bytes:
        return self._value.to_bytes((self._count + 7) // 8, "little")
