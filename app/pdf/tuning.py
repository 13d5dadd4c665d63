"""Three hot spots of ReportLab replaced with faster equivalents, all in one place (applied on import).

Each gives the same output as ReportLab's own code; each was measured on a brief (docs/benchmarks.md).
They rebind module-level names that ReportLab looks up at call time, so an upgrade that renames one
leaves ReportLab's original in use (slower, never wrong); tests/pdf read the documents back.
"""

from __future__ import annotations

import functools
import zlib

from reportlab.pdfbase import pdfdoc
from reportlab.platypus import paragraph as _paragraph_module

LARGE_STREAM = 16_384  # font files are 20-100 kB; a brief's pages are smaller and never repeat
_pdfdoc_encode = pdfdoc.pdfdocEnc


def _processed_frags(frags) -> bool:
    """ReportLab's test "are these frags already split into words?", without raising.

    ReportLab's own version subscripts a ParaFrag and catches the TypeError, on every line break
    of every paragraph: about a fifth of a trip pack's time. Same answer: word lists start with
    their width.
    """
    first = frags[0] if frags else None
    return isinstance(first, (list, tuple)) and bool(first) and isinstance(first[0], (float, int))


class _RememberingFlate(pdfdoc.PDFStreamFilterZCompress):
    """Flate that keeps its last few large results: a font file repeats from one document to the next
    (fonts._remember_subsets), and compressing it again was a tenth of a brief's time."""

    def encode(self, text):
        if isinstance(text, bytes) and len(text) >= LARGE_STREAM:
            return _deflate(text)
        return super().encode(text)


@functools.lru_cache(maxsize=16)
def _deflate(data: bytes) -> bytes:
    return zlib.compress(data)


def _encode(value):
    """PDFDocEncoding of an object's text: printable ASCII is itself, without ReportLab's Python codec.

    Every number and name of every PDF object goes through here (a widths array alone holds 128):
    a third of the time of saving a short document.
    """
    if isinstance(value, str) and value.isascii() and value.isprintable():
        return value.encode("ascii")
    return _pdfdoc_encode(value)


_paragraph_module._processed_frags = _processed_frags
pdfdoc.PDFZCompress = _RememberingFlate()  # TrueType embedding looks the filter up here for each font file
pdfdoc.pdfdocEnc = _encode
