"""Reading interchange files as publishers write them: any usual encoding, any JSON shape,
streamed, with bounds.

- Encoding: declared (``encoding=``) or detected — a BOM (UTF-8, UTF-16, UTF-32), NUL-byte
  patterns of BOM-less UTF-16, strict UTF-8, then GB18030 when the non-ASCII bytes come in
  pairs (Chinese text), else cp1252, else latin-1 (which decodes anything). Undecodable bytes
  in a declared encoding reject the line or the rest of the document, never the whole import.
- Shape: JSON lines (whatever the extension: the first line parses alone and more follows),
  else one JSON document streamed with ``ijson`` (a package, a bare release or record, an
  entity, or a JSON array of any of these). Inside a document, ``releases`` / ``records``
  arrays are yielded item by item, so a 1 GB package never becomes 1 GB of Python objects.
- Bounds: nesting deeper than ``MAX_DEPTH`` or a string longer than ``MAX_STRING`` characters
  rejects the object it is in; a line longer than ``MAX_LINE`` bytes is rejected unread.

Every unit comes out as :class:`Unit` (position, kind, object) or :class:`Unreadable`
(position, reason): the importers account for both.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ijson
import orjson

from riskgraph.graph.errors import BadInput

MAX_DEPTH = 64
MAX_STRING = 1_000_000
MAX_LINE = 64 * 1024 * 1024
SNIFF_BYTES = 1 << 20
_CHUNK = 1 << 20
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030",
             "gbk", "latin-1", "cp1252")
"""Encodings named in the docs; any codec Python knows is accepted when declared."""

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
PACKAGE_ARRAYS = ("releases", "records")


@dataclass(frozen=True)
class Unit:
    """One object of the input: ``kind`` is ``releases`` / ``records`` for an item of a
    package's array, else ``object``; ``package`` holds the package's other top-level fields
    read before the array (``version``, ``publisher``, ...)."""

    where: str
    kind: str
    value: Any
    package: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Unreadable:
    """A part of the input that could not be read, with where it starts and why."""

    where: str
    reason: str


def check_encoding(name: str) -> str:
    """The codec name, or BadInput when Python has no such codec."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise BadInput(f"unknown encoding {name!r} (e.g. {', '.join(ENCODINGS)})") from None


def detect_encoding(path: Path) -> str:
    """The encoding of ``path`` (see the module docstring for the order of the checks)."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
        for bom, name in _BOMS:
            if head.startswith(bom):
                return name
        sample = head[:4096]
        if len(sample) >= 4:
            even, odd = sample[0::2].count(0), sample[1::2].count(0)
            if odd > len(sample) // 4 and even == 0:
                return "utf-16-le"
            if even > len(sample) // 4 and odd == 0:
                return "utf-16-be"
        fh.seek(0)
        if _decodes(fh, "utf-8"):
            return "utf-8"
        fh.seek(0)
        if _paired_high_bytes(head) and _decodes(fh, "gb18030"):
            return "gb18030"
        fh.seek(0)
        if _decodes(fh, "cp1252"):
            return "cp1252"
    return "latin-1"


def _decodes(fh: IO[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _paired_high_bytes(data: bytes) -> bool:
    """True when nearly every non-ASCII byte has a non-ASCII neighbour (double-byte text such
    as GBK); single accented letters of latin-1 / cp1252 text stand alone."""
    high = [i for i, b in enumerate(data) if b >= 0x80]
    if not high:
        return False
    marks = set(high)
    paired = sum(1 for i in high if i - 1 in marks or i + 1 in marks)
    return paired / len(high) >= 0.95


class _Utf8Stream:
    """A text stream re-encoded as UTF-8 bytes, for ijson (which parses UTF-8)."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = self._text.read(_CHUNK)
            if not chunk:
                break
            self._buffer += chunk.encode("utf-8", "surrogatepass")
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def problem(value: Any) -> str | None:
    """Why ``value`` exceeds the bounds (depth, string length), or None. Iterative."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if len(item) > MAX_STRING:
                return f"a string of {len(item):,} characters (at most {MAX_STRING:,})"
        elif isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                return f"nested deeper than {MAX_DEPTH} levels"
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
    return None


def read_units(path: Path, encoding: str | None = None) -> Iterator[Unit | Unreadable]:
    """Every unit of ``path`` (JSON lines or one streamed document), in input order."""
    if not path.is_file():
        raise BadInput(f"input file not found: {path}")
    name = path.name
    if path.stat().st_size == 0:
        yield Unreadable(name, "the file is empty")
        return
    enc = check_encoding(encoding) if encoding else detect_encoding(path)
    if _is_json_lines(path, enc):
        yield from _lines(path, enc)
    else:
        yield from _document(path, enc)


def _open_text(path: Path, encoding: str) -> IO[str]:
    return path.open(encoding=encoding, errors="strict", newline=None)


def _is_json_lines(path: Path, encoding: str) -> bool:
    """The first non-empty line is a whole JSON value and more text follows it."""
    try:
        with _open_text(path, encoding) as fh:
            text = fh.read(SNIFF_BYTES)
    except UnicodeDecodeError:
        return False
    text = text.lstrip("\ufeff")
    lines = iter(text.splitlines())
    first = next((line for line in lines if line.strip()), None)
    if first is None or len(first) >= len(text):
        return False
    try:
        orjson.loads(first)
    except orjson.JSONDecodeError:
        return False
    return any(line.strip() for line in lines)


def _lines(path: Path, encoding: str) -> Iterator[Unit | Unreadable]:
    """One unit per non-empty line; undecodable bytes (kept as lone surrogates by
    ``surrogateescape``) reject their line only."""
    with path.open(encoding=encoding, errors="surrogateescape", newline=None) as fh:
        number = 0
        while True:
            line = fh.readline(MAX_LINE)
            if not line:
                break
            number += 1
            where = f"{path.name}:{number}"
            if len(line) >= MAX_LINE and not line.endswith("\n"):
                while (rest := fh.readline(MAX_LINE)) and not rest.endswith("\n"):
                    pass
                yield Unreadable(where, f"line longer than {MAX_LINE:,} characters")
                continue
            line = line.lstrip("\ufeff")
            if not line.strip():
                continue
            if _ESCAPED.search(line):
                yield Unreadable(where, f"not {encoding} text (undecodable bytes); "
                                        "declare the encoding with --encoding")
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Unreadable(where, f"malformed JSON: {_json_reason(str(exc), line)}")
                continue
            bound = problem(value)
            if bound:
                yield Unreadable(where, f"rejected: {bound}")
                continue
            yield Unit(where, "object", value)


_ESCAPED = re.compile("[\udc80-\udcff]")
_NON_NUMBERS = re.compile(r"\b(NaN|-?Infinity)\b")


def _json_reason(message: str, text: str) -> str:
    if _NON_NUMBERS.search(text):
        return f"{message} (NaN and Infinity are not JSON numbers)"
    return message


def _document(path: Path, encoding: str) -> Iterator[Unit | Unreadable]:
    """One JSON document (or several concatenated), streamed."""
    name = path.name
    with _open_text(path, encoding) as text:
        stream = _Utf8Stream(text)
        events = ijson.basic_parse(stream, multiple_values=True, use_float=True)
        walker = _Walker(events, name)
        try:
            yield from walker.values()
        except UnicodeDecodeError as exc:
            yield Unreadable(walker.where, f"not {encoding} text ({exc.reason}); the rest of "
                                           "the file was not read")
        except (ijson.JSONError, ValueError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            yield Unreadable(walker.where, f"malformed JSON ({reason[:200]}); the rest of the "
                                           "file was not read")
        except RecursionError:
            yield Unreadable(walker.where, f"nested deeper than {MAX_DEPTH} levels; the rest "
                                           "of the file was not read")


class _TooDeep(Exception):
    pass


class _Walker:
    """Turns ijson's event stream into units, building one object at a time."""

    def __init__(self, events: Iterator[tuple[str, Any]], name: str) -> None:
        self.events = events
        self.name = name
        self.where = name

    def values(self) -> Iterator[Unit | Unreadable]:
        for index, (event, value) in enumerate(self.events):
            base = self.name if index == 0 else f"{self.name}#{index + 1}"
            self.where = base
            if event == "start_array":
                yield from self._array_items(base)
            elif event == "start_map":
                yield from self._unit(base)
            else:
                yield Unreadable(base, f"a JSON {event} ({value!r}) is not an object")

    def _array_items(self, base: str) -> Iterator[Unit | Unreadable]:
        for i, (event, value) in enumerate(self.events):
            if event == "end_array":
                return
            where = f"{base}/{i}"
            self.where = where
            if event == "start_map":
                yield from self._unit(where)
            elif event == "start_array":
                self._skip(1)
                yield Unreadable(where, "an array where an object belongs")
            else:
                yield Unreadable(where, f"a JSON {event} ({value!r}) is not an object")

    def _unit(self, where: str) -> Iterator[Unit | Unreadable]:
        """The object just opened: a package's arrays stream item by item."""
        meta: dict[str, Any] = {}
        streamed = False
        for event, value in self.events:
            if event == "end_map":
                break
            key = str(value)
            first, first_value = next(self.events)
            if key in PACKAGE_ARRAYS and first == "start_array" and not (
                    {"ocid", "compiledRelease"} & meta.keys()):  # a record's releases: built
                streamed = True
                yield from self._package_items(f"{where}/{key}", key, dict(meta))
                continue
            try:
                meta[key] = self._build(first, first_value, 2)
            except _TooDeep:
                yield Unreadable(where, f"nested deeper than {MAX_DEPTH} levels")
                self._skip(1)
                return
        if streamed:
            return
        bound = problem(meta)
        yield Unreadable(where, f"rejected: {bound}") if bound else Unit(where, "object", meta)

    def _package_items(self, base: str, kind: str, package: dict[str, Any]
                       ) -> Iterator[Unit | Unreadable]:
        i = 0
        for event, value in self.events:
            if event == "end_array":
                return
            where = f"{base}/{i}"
            self.where = where
            i += 1
            try:
                item = self._build(event, value, 3)
            except _TooDeep:
                yield Unreadable(where, f"nested deeper than {MAX_DEPTH} levels")
                continue
            bound = problem(item)
            yield Unreadable(where, f"rejected: {bound}") if bound else Unit(
                where, kind, item, package)

    def _build(self, event: str, value: Any, depth: int) -> Any:
        """The value starting with ``event`` (iterative; deeper than MAX_DEPTH → _TooDeep,
        with the rest of that value consumed)."""
        if event not in ("start_map", "start_array"):
            return value
        root: Any = {} if event == "start_map" else []
        stack: list[Any] = [root]
        keys: list[str | None] = [None]
        if depth > MAX_DEPTH:
            self._skip(1)
            raise _TooDeep
        for ev, val in self.events:
            top = stack[-1]
            if ev == "map_key":
                keys[-1] = str(val)
                continue
            if ev in ("end_map", "end_array"):
                stack.pop()
                keys.pop()
                if not stack:
                    return root
                continue
            item: Any = {} if ev == "start_map" else [] if ev == "start_array" else val
            if isinstance(top, dict):
                top[keys[-1] or ""] = item
            else:
                top.append(item)
            if ev in ("start_map", "start_array"):
                stack.append(item)
                keys.append(None)
                if depth + len(stack) - 1 > MAX_DEPTH:
                    self._skip(len(stack))
                    raise _TooDeep
        return root

    def _skip(self, open_levels: int) -> None:
        """Consume events until ``open_levels`` open containers are closed."""
        level = open_levels
        for ev, _ in self.events:
            if ev in ("start_map", "start_array"):
                level += 1
            elif ev in ("end_map", "end_array"):
                level -= 1
                if level == 0:
                    return
