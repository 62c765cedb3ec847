"""Size caps for bodies, archives and compressed files: nothing hostile expands without bound.

A small zip or gzip file can expand to gigabytes (a "zip bomb"); an HTTP server can send a body
that never ends. Every reader of such bytes goes through these helpers, which stop as soon as a
cap is passed, having held at most ``limit`` bytes (plus one chunk) in memory.
"""

from __future__ import annotations

import zipfile
import zlib

from rotascope.errors import InputError

__all__ = [
    "MAX_FILE_BYTES",
    "SizeLimitError",
    "describe_size",
    "gunzip_capped",
    "read_zip_member",
]

#: Decompressed size above which a local gzip or zip file is refused (1 GiB).
MAX_FILE_BYTES = 1 << 30
_CHUNK = 1 << 16


class SizeLimitError(InputError):
    """Bytes (downloaded or decompressed) passed their cap."""


def describe_size(n: int) -> str:
    """``n`` bytes in a short human form: ``512 bytes``, ``64 KiB``, ``16 MiB``, ``2 GiB``."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            value = n / (1 << shift)
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def gunzip_capped(raw: bytes, limit: int, origin: str) -> bytes:
    """Decompress gzip data (several members allowed), refusing more than ``limit`` bytes.

    Raises
    ------
    SizeLimitError
        The data expand to more than ``limit`` bytes.
    InputError
        The data are not valid gzip.
    """
    out = bytearray()
    view = memoryview(raw)
    pos, size = 0, len(raw)
    try:
        while pos < size:  # one gzip member per pass (concatenated members are valid gzip)
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            pending: bytes | memoryview = b""
            while not inflater.eof:
                if not pending:
                    if pos >= size:
                        raise InputError(f"{origin}: broken gzip file (truncated)")
                    pending = view[pos : pos + _CHUNK]
                    pos += len(pending)
                out += inflater.decompress(pending, limit + 1 - len(out))
                if len(out) > limit:
                    raise SizeLimitError(
                        f"{origin}: gzip data expand to more than {describe_size(limit)}; refused"
                    )
                pending = inflater.unconsumed_tail
            pos -= len(inflater.unused_data)
    except zlib.error as exc:
        raise InputError(f"{origin}: broken gzip file ({exc})") from None
    return bytes(out)


def read_zip_member(archive: zipfile.ZipFile, member: str, limit: int, origin: str) -> bytes:
    """Read one member of an open zip archive, refusing more than ``limit`` bytes.

    The sizes the archive declares are not trusted: the member is inflated chunk by chunk and
    the count of bytes actually produced decides.

    Raises
    ------
    SizeLimitError
        The member expands to more than ``limit`` bytes.
    zipfile.BadZipFile
        The member is corrupt (CRC or format error).
    """
    out = bytearray()
    with archive.open(member) as handle:
        while True:
            chunk = handle.read(_CHUNK)
            if not chunk:
                return bytes(out)
            out += chunk
            if len(out) > limit:
                raise SizeLimitError(
                    f"{origin}: zip member {member!r} expands to more than "
                    f"{describe_size(limit)}; refused"
                )
