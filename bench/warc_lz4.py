"""Reading a ``.warc.lz4``: ``lz4`` frames into warcio (what backissue does) against FastWARC, when installed.

    .venv/bin/python bench/warc_lz4.py [--records 2000] [--kib 40]

Writes a WARC of N HTML responses of about K KiB each, compressed as one LZ4
frame per record (as crawlers write them), then reads every payload with both
and prints records per second and MB/s of decompressed WARC. FastWARC is not a
dependency: `.venv/bin/pip install fastwarc` to compare.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import lz4.frame
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def write(path: Path, records: int, kib: int) -> int:
    """The sample archive; its uncompressed size."""
    total = 0
    with path.open("wb") as out:
        for n in range(records):
            buffer = io.BytesIO()
            words = " ".join(f"w{(n * 7919 + i * 104729) % 100003}" for i in range(kib * 150))
            body = f"<html><body><h1>Story {n}</h1><p>{words}</p></body></html>".encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer = WARCWriter(buffer, gzip=False)
            writer.write_record(writer.create_warc_record(f"https://paper.example/{n}/", "response",
                                                          payload=io.BytesIO(body), http_headers=headers))  # fmt: skip
            total += len(buffer.getvalue())
            out.write(lz4.frame.compress(buffer.getvalue()))
    return total


def with_warcio(path: Path) -> int:
    count = 0
    with lz4.frame.open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            record.content_stream().read()
            count += 1
    return count


def with_fastwarc(path: Path) -> int:
    from fastwarc import ArchiveIterator as FastIterator
    from fastwarc import Lz4Reader

    count = 0
    for record in FastIterator(Lz4Reader(str(path))):
        record.reader.read()
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--kib", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.warc.lz4"
        size = write(path, args.records, args.kib)
        print(f"{args.records} records, {size / 1e6:.0f} MB of WARC, {path.stat().st_size / 1e6:.1f} MB as LZ4")
        readers = [("lz4 frames + warcio", with_warcio)]
        try:
            import fastwarc  # noqa: F401

            readers.append(("FastWARC", with_fastwarc))
        except ImportError:
            print("FastWARC not installed; skipped")
        for name, read in readers:
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                assert read(path) == args.records
                best = min(best, time.perf_counter() - start)
            print(f"{name:22s} {args.records / best:8.0f} records/s  {size / 1e6 / best:7.0f} MB/s (best of 3)")


if __name__ == "__main__":
    main()
