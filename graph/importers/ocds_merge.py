"""OCDS release merging (compiling the releases of one ``ocid``), as the reference merger does.

The rules are those of ``ocdsmerge`` without a schema (``Merger(merge_rules={})``; the tests
compare the two): releases in ``date`` order (stable); objects merged field by field, later
values winning; ``null`` removes a value but not the fields an earlier release gave an object
(the object's own fields are separate paths); an empty object or array changes nothing; an
array holding any non-object is replaced whole; an array of objects is merged by ``id``
(compared as text, the first spelling kept), and objects without ``id`` are appended, never
merged. An object in one release and an array (or a value) in another at the same path is a
conflict: :class:`MergeConflict`.
"""

from __future__ import annotations

from itertools import count
from typing import Any

Path = tuple[Any, ...]


class MergeConflict(ValueError):
    """Two releases disagree on the kind of value at one path (or lack a usable date)."""


class _Item(str):
    """An array position named by its ``id`` (as text); ``original`` keeps the JSON value."""

    __slots__ = ("original", "token")

    original: Any
    token: Any


_fresh = count()


def _item(value: dict[str, Any]) -> _Item:
    if "id" in value and (isinstance(value["id"], dict | list)):
        raise MergeConflict(f"an array item's id is a JSON {type(value['id']).__name__}, not a "
                            "string or number")
    if "id" in value:
        key = _Item(str(value["id"]))
        key.original, key.token = value["id"], value["id"]
    else:
        key = _Item(f"\0anonymous-{next(_fresh)}")
        key.original, key.token = None, key
    return key


def _flatten(value: Any, path: Path, out: dict[Path, Any]) -> None:
    items = value.items() if isinstance(value, dict) else ((_item(v), v) for v in value)
    for key, child in items:
        if not isinstance(child, dict | list) or (
                isinstance(child, list) and any(not isinstance(x, dict) for x in child)):
            out[(*path, key)] = child
        elif child:
            _flatten(child, (*path, key), out)


def _unflatten(flat: dict[Path, Any]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    seen: dict[Path, dict[str, Any]] = {}
    for path, leaf in flat.items():
        node: Any = root
        for end, part in enumerate(path, 1):
            if type(part) is _Item:
                where = (*path[:end - 1], part.token)
                if where not in seen:
                    created: dict[str, Any] = {}
                    if part.original is not None:
                        created["id"] = part.original
                    seen[where] = created
                    if not isinstance(node, list):
                        raise MergeConflict(f"/{'/'.join(map(str, path[:end - 1]))} is an "
                                            "object in one release and an array in another")
                    node.append(created)
                node = seen[where]
            elif not isinstance(node, dict):
                raise MergeConflict(f"/{'/'.join(map(str, path[:end - 1]))} is a value in one "
                                    f"release and has a field {part!r} in another")
            elif part in node:
                node = node[part]
            elif end < len(path):
                node[part] = [] if type(path[end]) is _Item else {}
                node = node[part]
            elif leaf is not None:
                node[part] = leaf
    return root


def compile_releases(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """The compiled release of ``releases`` (one ocid): ``tag`` ``["compiled"]``, ``id``
    ``<ocid>-<latest date>``, ``date`` the latest date. MergeConflict when the releases cannot
    be merged (a date missing or not text, a value that is an object in one and not in
    another)."""
    if len(releases) > 1:
        dates = [r.get("date") for r in releases]
        if any(not isinstance(d, str) for d in dates):
            raise MergeConflict("every release of a contracting process needs a text `date` "
                                "to be merged in order")
        releases = sorted(releases, key=lambda r: r["date"])
    flat: dict[Path, Any] = {("tag",): ["compiled"]}
    for release in releases:
        body = {k: v for k, v in release.items() if k != "tag"}
        part: dict[Path, Any] = {}
        _flatten(body, (), part)
        flat[("id",)] = f"{release.get('ocid')}-{release.get('date')}"
        flat[("date",)] = release.get("date")
        flat[("ocid",)] = release.get("ocid")
        flat.update(part)
    return _unflatten(flat)
