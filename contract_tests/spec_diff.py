"""Breaking changes between two versions of the specs in ``openapi/``: the gate behind ``make spec-diff``.

    python -m contract_tests.spec_diff [--base REF]   # `make spec-diff BASE=REF`; REF defaults to HEAD~1

Every spec in ``openapi/*.yaml`` (the working tree) is compared with its version at ``REF``, and each change is
classified as breaking or not for a client written against the old version. Two sets of rules do it:
openapi-diff (the npm package, run once for every spec that changed, through ``openapi_diff.cjs``), which
compares request and response bodies as sets of values, paths, methods, status codes and response headers; and
the kit's own rules (:class:`_Rules`) for what openapi-diff does not look at (parameters, ``enum``,
``pattern``, ``format``, ``nullable``, media types, ``x-put-semantics``, auth, base paths) or sees only as a
whole body (they name the field). The exit status is 1 when a spec has a breaking change without a major bump
of its ``info.version``, 2 when something could not be compared.

The changelog (``changelog.py``) classifies each version's changes with the same :func:`compare`.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .spec_tools import HTTP_METHODS, dereference, operations, pointer, resolve

ROOT = Path(__file__).resolve().parents[1]
SPEC_FOLDER = "openapi"
ADAPTER = Path(__file__).resolve().with_name("openapi_diff.cjs")
DEFAULT_BASE = "HEAD~1"
EXIT_BREAKING = 1
EXIT_ERROR = 2
TOOL = "openapi-diff"


class SpecDiffError(Exception):
    """Something could not be read or compared; the message says what."""


@dataclass(frozen=True, order=True)
class Change:
    """One change between two versions of a spec, as a client written against the old version sees it."""

    breaking: bool
    where: str  # the operation and the part of it: "PUT /workspaces/{id} request body", or "API"
    message: str  # one line: what changed and what it does to a client
    pointer: str  # JSON pointer of what changed: in the new spec, or in the old one for what was removed
    rule: str  # the kit's rule, or "openapi-diff <code>"


# -- reading specs from the working tree and from git ---------------------------------------------------------------


def spec_name(path: str) -> str | None:
    """``cor`` for ``openapi/cor.yaml``; None for anything else (``openapi/clients/`` holds generator configs)."""
    match = re.fullmatch(rf"{SPEC_FOLDER}/([^/]+)\.yaml", path)
    return match.group(1) if match else None


# libyaml's loader where PyYAML has it: several times faster on specs this size, and a changelog reads many.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, label: str) -> dict[str, Any]:
    """A spec's text as a mapping; SpecDiffError naming ``label`` when it is not one."""
    try:
        document = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise SpecDiffError(f"{label}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise SpecDiffError(f"{label}: not a YAML mapping")
    return document


def git(root: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
    """The output of ``git args`` run in ``root``. When it fails: SpecDiffError with git's message, or with
    ``check=False`` empty output (to ask whether something exists)."""
    result = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=False)
    if result.returncode != 0:
        if not check:
            return b""
        message = result.stderr.decode(errors="replace").strip()
        raise SpecDiffError(f"git {' '.join(args)} failed: {message}")
    return result.stdout


def read_blobs(root: Path, blobs: Sequence[str]) -> dict[str, str]:
    """The text of each git blob, read with one ``git cat-file --batch``."""
    if not blobs:
        return {}
    output = git(root, "cat-file", "--batch", stdin="".join(f"{blob}\n" for blob in blobs).encode())
    texts: dict[str, str] = {}
    offset = 0
    for blob in blobs:
        header_end = output.index(b"\n", offset)
        sha, _kind, size = output[offset:header_end].decode().split()
        start = header_end + 1
        texts[blob] = output[start : start + int(size)].decode("utf-8")
        offset = start + int(size) + 1  # the content is followed by a newline
        assert sha == blob, (sha, blob)
    return texts


def specs_at(root: Path, ref: str) -> dict[str, str]:
    """The text of every spec in ``openapi/`` at the commit ``ref``, by name."""
    commit = git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False).decode().strip()
    if not commit:
        raise SpecDiffError(
            f"{ref} is not a commit of this repository (a first commit has no parent; a shallow clone may lack it)"
        )
    listing = git(root, "ls-tree", "-r", "-z", commit, "--", SPEC_FOLDER).decode()
    blobs: dict[str, str] = {}
    for entry in filter(None, listing.split("\0")):
        info, path = entry.split("\t", 1)
        name = spec_name(path)
        if name is not None:
            blobs[name] = info.split()[2]
    texts = read_blobs(root, list(blobs.values()))
    return {name: texts[blob] for name, blob in blobs.items()}


def working_specs(root: Path) -> dict[str, str]:
    """The text of every spec in ``openapi/`` as it is on disk, by name."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((root / SPEC_FOLDER).glob("*.yaml"))}


# -- versions ------------------------------------------------------------------------------------------------------

_VERSION = re.compile(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?")


def version_of(document: Mapping[str, Any] | None) -> str:
    info = document.get("info") if document else None
    return str(info.get("version", "")) if isinstance(info, dict) else ""


def parse_version(text: str) -> tuple[int, int, int] | None:
    """``(major, minor, patch)`` of a semver ``info.version``; ``v1`` reads as 1.0.0. None when it is not one."""
    match = _VERSION.fullmatch(text.strip())
    if not match:
        return None
    major, minor, patch = (int(part) if part else 0 for part in match.groups())
    return major, minor, patch


def compatibility(version: tuple[int, int, int]) -> tuple[int, ...]:
    """The part of a version that changes with a breaking change: its first non-zero number, as in Cargo and npm.

    1.4.2 → (1,); below 1.0.0 there is no stable major yet, so 0.3.1 → (0, 3) and 0.0.4 → (0, 0, 4).
    """
    major, minor, patch = version
    if major:
        return (major,)
    return (0, minor) if minor else (0, 0, patch)


def major_bump(old: str, new: str) -> bool | None:
    """Whether ``new`` is a major (breaking) bump over ``old``; None when either is not a semver version."""
    before, after = parse_version(old), parse_version(new)
    if before is None or after is None:
        return None
    return after > before and compatibility(after) != compatibility(before)


def next_major(version: str) -> str:
    parsed = parse_version(version)
    if parsed is None:
        return "a new major version"
    major, minor, patch = parsed
    if major:
        return f"{major + 1}.0.0"
    return f"0.{minor + 1}.0" if minor else f"0.0.{patch + 1}"


# -- openapi-diff -------------------------------------------------------------------------------------------------

#: openapi-diff's result codes: what each says, and what it does to a client.
_TOOL_MESSAGES = {
    "path.add": "new path",
    "path.remove": "path removed; calls to it fail",
    "method.add": "new operation",
    "method.remove": "operation removed; calls to it fail",
    "request.body.scope.add": "the request body accepts values it refused before",
    "request.body.scope.remove": "the request body refuses values it accepted before",
    "response.body.scope.add": "the response body may hold values it could not hold before",
    "response.body.scope.remove": "the response body holds fewer kinds of values than before",
    "response.optional.header.add": "new optional response header",
    "response.optional.header.remove": "optional response header removed",
    "response.required.header.add": "new response header, always sent",
    "response.required.header.remove": "response header removed; clients that read it break",
    "response.status-code.add": "new documented status",
    "response.status-code.remove": "status no longer documented; clients that handle it get something else",
    "unclassified.add": "extension added (openapi-diff does not classify it)",
    "unclassified.remove": "extension removed (openapi-diff does not classify it)",
}


def _tool_input(old: dict[str, Any], new: dict[str, Any]) -> tuple[Any, Any]:
    """The pair as openapi-diff is given it: ``$ref``-free, with the properties a request schema gained declared
    in the old one too where it allowed undeclared properties (see :func:`_declare_added_properties`)."""
    try:
        old_inline, new_inline = dereference(old), dereference(new)
    except ValueError:  # a recursive $ref: openapi-diff follows those itself
        return old, new
    # Only the operations that differ: the same operation in both has no difference, and openapi-diff's set
    # arithmetic takes about 40 ms a body, so it sees only what an edit touched. Everything it reads is in the
    # paths now that the $refs are inlined.
    old_paths, new_paths = old_inline.get("paths") or {}, new_inline.get("paths") or {}
    for path in old_paths.keys() & new_paths.keys():
        old_item, new_item = old_paths[path], new_paths[path]
        for method in HTTP_METHODS:
            if method in old_item and old_item.get(method) == new_item.get(method):
                del old_item[method], new_item[method]
        if old_item == new_item:
            del old_paths[path], new_paths[path]
    for document in (old_inline, new_inline):
        document.pop("components", None)
    old_ops = {(path, method): op for path, method, op in operations(old_inline)}
    for path, method, new_op in operations(new_inline):
        old_op = old_ops.get((path, method))
        old_body, new_body = (old_op or {}).get("requestBody"), new_op.get("requestBody")
        if not isinstance(old_body, dict) or not isinstance(new_body, dict):
            continue
        for media_type, new_media in new_body.get("content", {}).items():
            old_media = old_body.get("content", {}).get(media_type)
            if isinstance(old_media, dict) and isinstance(new_media, dict):
                _declare_added_properties(old_media.get("schema"), new_media.get("schema"))
    return old_inline, new_inline


def _declare_added_properties(old: Any, new: Any) -> None:
    """Add to the old request schema the properties the new one declares and it did not, where it allowed them.

    To openapi-diff a new optional property in a schema that allows undeclared ones narrows what is accepted
    (a value of another type was allowed before), so it is breaking. A client written against the spec never
    sends a property the spec did not declare, so for us the property is new, not narrowed: the kit's rules
    report it (breaking only when required).
    """
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    old_properties, new_properties = old.get("properties", {}), new.get("properties", {})
    if isinstance(old_properties, dict) and isinstance(new_properties, dict):
        if old.get("additionalProperties", True) is not False:
            for name, schema in new_properties.items():
                if name not in old_properties:
                    old.setdefault("properties", {})[name] = copy.deepcopy(schema)
        for name in old_properties.keys() & new_properties.keys():
            _declare_added_properties(old_properties[name], new_properties[name])
    for keyword in ("items", "additionalProperties"):
        _declare_added_properties(old.get(keyword), new.get(keyword))
    for keyword in ("allOf", "anyOf", "oneOf"):
        for old_member, new_member in zip(old.get(keyword, []), new.get(keyword, []), strict=False):
            _declare_added_properties(old_member, new_member)


def run_openapi_diff(root: Path, pairs: Sequence[tuple[Any, Any]]) -> list[dict[str, Any]]:
    """openapi-diff's outcome for each (old, new) pair, all in one Node process."""
    if not pairs:
        return []
    node = shutil.which("node")
    if node is None:
        raise SpecDiffError("node is not on PATH: openapi-diff runs on Node.js")
    if not (root / "node_modules" / TOOL).is_dir():
        raise SpecDiffError(f"{root / 'node_modules' / TOOL} is missing: run `make install` first")
    payload = json.dumps(pairs, default=str)  # YAML dates become strings, as in JSON
    result = subprocess.run(
        [node, str(ADAPTER)], cwd=root, input=payload, capture_output=True, text=True, check=False, timeout=900
    )
    if result.returncode != 0:
        raise SpecDiffError(f"openapi-diff failed:\n{result.stderr.strip()}")
    outcomes: list[dict[str, Any]] = json.loads(result.stdout)
    if len(outcomes) != len(pairs):
        raise SpecDiffError(f"openapi-diff answered {len(outcomes)} comparisons for {len(pairs)}")
    return outcomes


def _tool_location(paths: Sequence[str], location: str) -> tuple[str, list[str]]:
    """``(where, parts)`` for an openapi-diff location such as ``paths./a/{id}.put.responses.200``: the operation
    and part of it it names, and the keys that lead to it (through ``$ref``s, as openapi-diff follows them)."""
    rest = location.removeprefix("paths.")
    if rest == location:
        return "API", location.split(".")
    # Path templates may hold dots: take the longest path of the documents that the location starts with.
    path = next(
        (p for p in sorted(paths, key=len, reverse=True) if rest == p or rest.startswith(p + ".")),
        rest.split(".", 1)[0],
    )
    parts = rest[len(path) + 1 :].split(".") if len(rest) > len(path) else []
    where = path
    if parts and parts[0] in HTTP_METHODS:
        where = f"{parts[0].upper()} {path}"
        if parts[1:2] == ["requestBody"]:
            where += " request body"
        elif parts[1:2] == ["responses"] and len(parts) > 2:
            where += f" {parts[2]} response"
            if parts[3:4] == ["headers"] and len(parts) > 4:
                where += f" header {'.'.join(parts[4:])}"
    # Media types hold dots and slashes too: join what follows "content" back into one key.
    if "content" in parts:
        index = parts.index("content")
        tail = parts[index + 1 :]
        media = ".".join(tail[:-1]) if tail[-1:] == ["schema"] else ".".join(tail)
        parts = [*parts[: index + 1], media, *(["schema"] if tail[-1:] == ["schema"] else [])]
    return where, ["paths", path, *parts]


def _physical(document: Any, parts: Sequence[str]) -> str | None:
    """The pointer of where the node at ``parts`` is written, following each ``$ref`` on the way; None if absent."""
    node, at = document, "#"
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return None
        node, at = _follow(document, node[part], at + pointer(part)[1:])
    return at


def _tool_changes(outcome: Mapping[str, Any], old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = []
    for key, breaking in (("breakingDifferences", True), ("nonBreakingDifferences", False)):
        for difference in outcome.get(key, []):
            changes.append(_tool_change(difference, breaking, old, new))
    for difference in outcome.get("unclassifiedDifferences", []):
        changes.append(_tool_change(difference, False, old, new))
    return changes


def _tool_change(
    difference: Mapping[str, Any], breaking: bool, old: Mapping[str, Any], new: Mapping[str, Any]
) -> Change:
    code = str(difference.get("code", ""))
    details = [
        *(difference.get("destinationSpecEntityDetails") or []),
        *(difference.get("sourceSpecEntityDetails") or []),
    ]
    location = str(details[0].get("location", "")) if details else ""
    where, parts = _tool_location([*new.get("paths", {}), *old.get("paths", {})], location)
    # In the new spec, or in the old one for what was removed.
    at = _physical(new, parts) or _physical(old, parts) or pointer(*parts)
    return Change(breaking, where, _TOOL_MESSAGES.get(code, code), at, f"{TOOL} {code}")


# -- the kit's own rules --------------------------------------------------------------------------------------------

_UPPER_BOUNDS = ("maxLength", "maximum", "maxItems", "maxProperties")
_LOWER_BOUNDS = ("minLength", "minimum", "minItems", "minProperties")
_STATUS_CODE = re.compile(r"\d{3}")
_EFFECT = {
    ("request", "tightened"): "requests the old spec allowed may be refused",
    ("request", "changed"): "requests the old spec allowed may be refused",
    ("request", "loosened"): "more requests are accepted",
    ("response", "loosened"): "responses may hold values clients were not written for",
    ("response", "changed"): "responses may hold values clients were not written for",
    ("response", "tightened"): "responses stay within what clients already handle",
}


@dataclass
class _View:
    """A schema with its ``$ref`` followed and its ``allOf`` members merged in, each part with its pointer."""

    pointer: str
    keywords: dict[str, tuple[Any, str]] = field(default_factory=dict)
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    required: dict[str, str] = field(default_factory=dict)

    def get(self, keyword: str, default: Any = None) -> Any:
        return self.keywords[keyword][0] if keyword in self.keywords else default

    def at(self, keyword: str) -> str:
        return self.keywords[keyword][1] if keyword in self.keywords else self.pointer


def _follow(document: Any, node: Any, at: str) -> tuple[Any, str]:
    """``node`` with its ``$ref`` chain followed, and the pointer of where it is written."""
    seen = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        at = node["$ref"]
        try:
            node = resolve(document, at)
        except (KeyError, IndexError, ValueError) as exc:
            raise SpecDiffError(f"$ref {at} points nowhere") from exc
    return node, at


def _view(document: Any, node: Any, at: str, depth: int = 0) -> _View:
    node, at = _follow(document, node, at)
    view = _View(at)
    if not isinstance(node, dict):
        return view
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            for name, schema in value.items():
                view.properties[name] = (schema, f"{at}{pointer('properties', name)[1:]}")
        elif key == "required" and isinstance(value, list):
            for name in value:
                view.required[str(name)] = f"{at}/required"
        elif key != "allOf":
            view.keywords[key] = (value, f"{at}{pointer(key)[1:]}")
    if depth < 16:
        for index, member in enumerate(node.get("allOf", [])):
            merged = _view(document, member, f"{at}{pointer('allOf', index)[1:]}", depth + 1)
            for key, item in merged.keywords.items():
                view.keywords.setdefault(key, item)
            for name, item in merged.properties.items():
                view.properties.setdefault(name, item)
            for name, where in merged.required.items():
                view.required.setdefault(name, where)
    return view


def _types(view: _View) -> frozenset[str] | None:
    value = view.get("type")
    if value is None:
        return None
    return frozenset(value) if isinstance(value, list) else frozenset({str(value)})


def _within(inner: frozenset[str], outer: frozenset[str]) -> bool:
    """Whether every value of the types ``inner`` is one of the types ``outer`` (an integer is a number)."""
    return all(kind in outer or (kind == "integer" and "number" in outer) for kind in inner)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _code(value: Any) -> str:
    return "none" if value is None else f"`{value}`"


def _values(values: Sequence[Any]) -> str:
    return ", ".join(f"`{_show(value)}`" for value in values)


@dataclass(frozen=True)
class _Part:
    """Where in an operation a schema is: ``direction`` is ``request`` (the client sends it) or ``response``."""

    where: str
    direction: str

    def breaking(self, kind: str) -> bool:
        """Whether a ``tightened``, ``loosened`` or ``changed`` schema breaks clients here."""
        return kind == "changed" or (kind == "tightened") == (self.direction == "request")


class _Rules:
    """The kit's rules, each for something openapi-diff does not look at or sees only as a whole body."""

    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []

    def run(self) -> list[Change]:
        self.base_paths()
        old_operations = {(path, method): op for path, method, op in operations(self.old)}
        for path, method, new_operation in operations(self.new):
            old_operation = old_operations.get((path, method))
            if old_operation is not None:  # added and removed operations are openapi-diff's
                self.operation(path, method, old_operation, new_operation)
        return self.changes

    def add(self, breaking: bool, rule: str, where: str, message: str, at: str) -> None:
        self.changes.append(Change(breaking, where, message, at, rule))

    # -- the API as a whole

    def base_paths(self) -> None:
        """The base path is part of every URL a client calls: one that is no longer served breaks them all."""
        old, new = _base_paths(self.old), _base_paths(self.new)
        now = ", ".join(f"`{served}`" for served in sorted(new)) or "none"
        for path in sorted(old - new):
            message = f"base path `{path}` removed (now {now}); every call to it fails"
            self.add(True, "base-path", "API", message, "#/servers")
        if old <= new:  # a replaced base path is reported once, as removed
            for path in sorted(new - old):
                self.add(False, "base-path", "API", f"new base path `{path}`", "#/servers")

    # -- one operation

    def operation(self, path: str, method: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        where = f"{method.upper()} {path}"
        at = pointer("paths", path, method)
        self.put_semantics(where, at, old.get("x-put-semantics"), new.get("x-put-semantics"))
        self.security(where, at, old, new)
        self.parameters(where, path, method)
        self.request_body(where, at, old.get("requestBody"), new.get("requestBody"))
        self.responses(where, at, old.get("responses", {}), new.get("responses", {}))

    def put_semantics(self, where: str, at: str, old: Any, new: Any) -> None:
        """``partial`` keeps the fields a PUT leaves out, ``replace`` clears them: a client relies on which."""
        at = f"{at}/x-put-semantics"
        if old == new:
            return
        if old is None:
            self.add(False, "x-put-semantics", where, f"x-put-semantics `{new}` declared", at)
        elif new is None:
            self.add(True, "x-put-semantics", where, f"x-put-semantics `{old}` no longer declared", at)
        else:
            message = f"x-put-semantics `{old}` → `{new}`: fields a PUT leaves out are now treated differently"
            self.add(True, "x-put-semantics", where, message, at)

    def security(self, where: str, at: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        """Each way to authenticate the old spec accepted must still be accepted."""
        before, old_at = _auth(self.old, old, at)
        after, new_at = _auth(self.new, new, at)
        for option in sorted(before - after, key=sorted):
            self.add(True, "security", where, f"auth {_auth_text(option)} no longer accepted", old_at)
        for option in sorted(after - before, key=sorted):
            self.add(False, "security", where, f"auth {_auth_text(option)} now accepted", new_at)

    def parameters(self, where: str, path: str, method: str) -> None:
        old, new = _parameters(self.old, path, method), _parameters(self.new, path, method)
        for key in sorted(old.keys() | new.keys()):
            located, name = key
            label = f"{where} {located} parameter {name}"
            if key not in new:
                message = "parameter removed; clients that send it break (the generated call loses the argument)"
                self.add(True, "parameter", label, message, old[key][1])
                continue
            new_parameter, new_at = new[key]
            required = bool(new_parameter.get("required"))
            if key not in old:
                kind = "required" if required else "optional"
                self.add(required, "parameter", label, f"new {kind} parameter", new_at)
                continue
            old_parameter, old_at = old[key]
            if required and not old_parameter.get("required"):
                self.add(True, "parameter", label, "parameter is now required", f"{new_at}/required")
            elif old_parameter.get("required") and not required:
                self.add(False, "parameter", label, "parameter is now optional", f"{old_at}/required")
            if "schema" in old_parameter and "schema" in new_parameter:
                part = _Part(label, "request")
                self.schema(
                    part, "", old_parameter["schema"], f"{old_at}/schema", new_parameter["schema"], f"{new_at}/schema"
                )

    def request_body(self, where: str, at: str, old: Any, new: Any) -> None:
        label = f"{where} request body"
        old, old_at = _follow(self.old, old, f"{at}/requestBody")
        new, new_at = _follow(self.new, new, f"{at}/requestBody")
        if not isinstance(new, dict):
            if isinstance(old, dict):
                self.add(True, "request-body", label, "request body removed; clients that send one break", old_at)
            return
        required = bool(new.get("required"))
        if not isinstance(old, dict):
            kind = "required" if required else "optional"
            self.add(required, "request-body", label, f"new {kind} request body", new_at)
            return
        if required and not old.get("required"):
            self.add(True, "request-body", label, "request body is now required", f"{new_at}/required")
        self.content(_Part(label, "request"), old, old_at, new, new_at)

    def responses(self, where: str, at: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        old = {str(status): response for status, response in old.items()}
        new = {str(status): response for status, response in new.items()}
        for status in sorted(old.keys() | new.keys()):
            label = f"{where} {status} response"
            status_at = f"{at}{pointer('responses', status)[1:]}"
            if status not in new or status not in old:
                # openapi-diff reports added and removed status codes; ranges (4XX) and default are ours.
                if not _STATUS_CODE.fullmatch(status):
                    if status in old:
                        message = "response no longer documented; clients that handle it get something else"
                        self.add(True, "status", label, message, status_at)
                    else:
                        self.add(False, "status", label, "new documented response", status_at)
                continue
            old_response, old_at = _follow(self.old, old[status], status_at)
            new_response, new_at = _follow(self.new, new[status], status_at)
            if not isinstance(old_response, dict) or not isinstance(new_response, dict):
                continue
            part = _Part(label, "response")
            self.content(part, old_response, old_at, new_response, new_at)
            old_headers, new_headers = old_response.get("headers", {}), new_response.get("headers", {})
            for name in sorted(old_headers.keys() & new_headers.keys()):  # added and removed: openapi-diff's
                old_header, old_header_at = _follow(
                    self.old, old_headers[name], f"{old_at}{pointer('headers', name)[1:]}"
                )
                new_header, new_header_at = _follow(
                    self.new, new_headers[name], f"{new_at}{pointer('headers', name)[1:]}"
                )
                if isinstance(old_header, dict) and isinstance(new_header, dict):
                    if "schema" in old_header and "schema" in new_header:
                        header_part = _Part(f"{label} header {name}", "response")
                        self.schema(
                            header_part, "", old_header["schema"], f"{old_header_at}/schema",
                            new_header["schema"], f"{new_header_at}/schema",
                        )  # fmt: skip

    def content(self, part: _Part, old: Mapping[str, Any], old_at: str, new: Mapping[str, Any], new_at: str) -> None:
        """The media types of a request body or response, and the schema of each they share."""
        old_content, new_content = old.get("content") or {}, new.get("content") or {}
        for media_type in sorted(old_content.keys() | new_content.keys()):
            old_media_at = f"{old_at}{pointer('content', media_type)[1:]}"
            new_media_at = f"{new_at}{pointer('content', media_type)[1:]}"
            if media_type not in new_content:
                if part.direction == "request":
                    message = f"`{media_type}` no longer accepted; clients that send it are refused"
                else:
                    message = f"no longer answers with `{media_type}`; clients that parse it break"
                self.add(True, "media-type", part.where, message, old_media_at)
            elif media_type not in old_content:
                self.add(False, "media-type", part.where, f"`{media_type}` now documented", new_media_at)
            else:
                old_media, new_media = old_content[media_type] or {}, new_content[media_type] or {}
                if "schema" in old_media and "schema" in new_media:
                    self.schema(
                        part,
                        "",
                        old_media["schema"],
                        f"{old_media_at}/schema",
                        new_media["schema"],
                        f"{new_media_at}/schema",
                    )

    # -- schemas

    def schema(
        self,
        part: _Part,
        name: str,
        old: Any,
        old_at: str,
        new: Any,
        new_at: str,
        seen: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        """Compare two schemas at the same place; ``name`` is the field's path in the body (empty for the root)."""
        before, after = _view(self.old, old, old_at), _view(self.new, new, new_at)
        if (before.pointer, after.pointer) in seen:  # a recursive schema: this pair is being compared already
            return
        seen = seen | {(before.pointer, after.pointer)}
        subject = f"field `{name}`: " if name else ""
        self.keywords(part, subject, before, after)
        self.fields(part, name, before, after, seen)
        for keyword, suffix in (("items", "[]"), ("additionalProperties", "{}")):
            old_sub, new_sub = before.get(keyword), after.get(keyword)
            if isinstance(old_sub, dict) and isinstance(new_sub, dict):
                self.schema(part, f"{name}{suffix}", old_sub, before.at(keyword), new_sub, after.at(keyword), seen)
        for keyword in ("anyOf", "oneOf"):
            old_members, new_members = before.get(keyword) or [], after.get(keyword) or []
            if len(old_members) != len(new_members) and old_members and new_members:
                kind = "loosened" if len(new_members) > len(old_members) else "tightened"
                message = f"{subject}{keyword} has {len(new_members)} alternatives, not {len(old_members)}"
                self.add(
                    part.breaking(kind),
                    keyword,
                    part.where,
                    f"{message}; {_EFFECT[part.direction, kind]}",
                    after.at(keyword),
                )
            for index, (old_member, new_member) in enumerate(zip(old_members, new_members, strict=False)):
                self.schema(
                    part,
                    name,
                    old_member,
                    f"{before.at(keyword)}/{index}",
                    new_member,
                    f"{after.at(keyword)}/{index}",
                    seen,
                )

    def keywords(self, part: _Part, subject: str, before: _View, after: _View) -> None:
        """The keywords that constrain a single value: type, nullable, format, enum, bounds and pattern."""

        def report(kind: str, rule: str, what: str, at: str, effect: str | None = None) -> None:
            message = f"{subject}{what}; {effect or _EFFECT[part.direction, kind]}"
            self.add(part.breaking(kind), rule, part.where, message, at)

        old_types, new_types = _types(before), _types(after)
        if old_types != new_types:
            shown = " → ".join(
                " or ".join(f"`{kind}`" for kind in sorted(types)) if types else "any"
                for types in (old_types, new_types)
            )
            if old_types is None:
                kind = "tightened"
            elif new_types is None or _within(old_types, new_types):
                kind = "loosened"
            else:
                kind = "tightened" if _within(new_types, old_types) else "changed"
            report(kind, "type", f"type {shown}", after.at("type"))

        old_null, new_null = bool(before.get("nullable")), bool(after.get("nullable"))
        if old_null != new_null:
            if part.direction == "response":
                what = "may now be null" if new_null else "is never null any more"
                effect = "clients that expect a value break" if new_null else None
            else:
                what = "now accepts null" if new_null else "no longer accepts null"
                effect = "requests that send null are refused" if old_null else None
            report("loosened" if new_null else "tightened", "nullable", what, after.at("nullable"), effect)

        old_format, new_format = before.get("format"), after.get("format")
        if old_format != new_format:
            effect = "the value is validated, and may be typed by the generated client, differently"
            report(
                "changed",
                "format",
                f"format {_code(old_format)} → {_code(new_format)}",
                after.at("format"),
                effect,
            )

        self.enum(part, subject, before, after)

        for keyword in (*_UPPER_BOUNDS, *_LOWER_BOUNDS):
            old_bound, new_bound = before.get(keyword), after.get(keyword)
            if old_bound == new_bound:
                continue
            upper = keyword in _UPPER_BOUNDS
            if old_bound is None:
                kind, what = "tightened", f"{keyword} {_show(new_bound)} added"
            elif new_bound is None:
                kind, what = "loosened", f"{keyword} {_show(old_bound)} removed"
            else:
                kind = "tightened" if (new_bound < old_bound) == upper else "loosened"
                what = f"{keyword} {_show(old_bound)} → {_show(new_bound)}"
            report(kind, keyword, what, after.at(keyword) if new_bound is not None else before.at(keyword))

        for keyword in ("exclusiveMaximum", "exclusiveMinimum"):
            old_flag, new_flag = before.get(keyword), after.get(keyword)
            if (
                isinstance(old_flag, bool | None)
                and isinstance(new_flag, bool | None)
                and bool(old_flag) != bool(new_flag)
            ):
                kind = "tightened" if new_flag else "loosened"
                report(kind, keyword, f"{keyword} {_show(bool(old_flag))} → {_show(bool(new_flag))}", after.at(keyword))

        old_pattern, new_pattern = before.get("pattern"), after.get("pattern")
        if old_pattern != new_pattern:
            if old_pattern is None:
                kind, what = "tightened", f"pattern `{new_pattern}` added"
            elif new_pattern is None:
                kind, what = "loosened", f"pattern `{old_pattern}` removed"
            else:
                kind, what = "changed", f"pattern `{old_pattern}` → `{new_pattern}`"
            report(kind, "pattern", what, after.at("pattern") if new_pattern is not None else before.at("pattern"))

    def enum(self, part: _Part, subject: str, before: _View, after: _View) -> None:
        old_values, new_values = before.get("enum"), after.get("enum")
        if old_values == new_values or not (
            isinstance(old_values, list | None) and isinstance(new_values, list | None)
        ):
            return
        request = part.direction == "request"

        def report(kind: str, what: str, at: str, effect: str) -> None:
            self.add(part.breaking(kind), "enum", part.where, f"{subject}{what}; {effect}", at)

        if old_values is None:
            report(
                "tightened",
                f"now limited to {_values(new_values or [])}",
                after.at("enum"),
                _EFFECT[part.direction, "tightened"],
            )
            return
        if new_values is None:
            report(
                "loosened",
                f"no longer limited to {_values(old_values)}",
                before.at("enum"),
                _EFFECT[part.direction, "loosened"],
            )
            return
        removed = [value for value in old_values if value not in new_values]
        added = [value for value in new_values if value not in old_values]
        if removed:
            noun = "value" if len(removed) == 1 else "values"
            effect = "requests that send it are refused" if request else "clients no longer receive it"
            report("tightened", f"enum {noun} {_values(removed)} removed", after.at("enum"), effect)
        if added:
            noun = "value" if len(added) == 1 else "values"
            effect = "accepted from now on" if request else "clients, and the generated client's enum, do not know it"
            report("loosened", f"new enum {noun} {_values(added)}", after.at("enum"), effect)

    def fields(self, part: _Part, name: str, before: _View, after: _View, seen: frozenset[tuple[str, str]]) -> None:
        """The properties of an object schema: added, removed, made required or optional; then each one shared."""
        request = part.direction == "request"
        old_open = before.get("additionalProperties", True) is not False
        new_open = after.get("additionalProperties", True) is not False
        shown = f"`{name}`" if name else "the body"
        if request and old_open != new_open:
            if new_open:
                self.add(
                    False,
                    "additionalProperties",
                    part.where,
                    f"{shown} now accepts fields it does not declare",
                    after.at("additionalProperties"),
                )
            else:
                message = (
                    f"{shown} now refuses fields it does not declare (additionalProperties: false); "
                    "clients that send one are refused"
                )
                self.add(True, "additionalProperties", part.where, message, after.at("additionalProperties"))
        names = before.properties.keys() | after.properties.keys() | before.required.keys() | after.required.keys()
        for prop in sorted(names):
            path = f"{name}.{prop}" if name else prop
            was_required, is_required = prop in before.required, prop in after.required
            if prop in before.properties and prop not in after.properties:
                effect = "clients that send it break" if request else "clients that read it break"
                self.add(
                    True, "field-removed", part.where, f"field `{path}` removed; {effect}", before.properties[prop][1]
                )
                continue
            if prop in after.properties and prop not in before.properties:
                at = after.properties[prop][1]
                if request:
                    if is_required:
                        self.add(
                            True,
                            "field-added",
                            part.where,
                            f"new required field `{path}`; requests without it are refused",
                            at,
                        )
                    else:
                        self.add(False, "field-added", part.where, f"new optional field `{path}`", at)
                else:
                    self.add(
                        False,
                        "field-added",
                        part.where,
                        f"new field `{path}`{' (always present)' if is_required else ''}",
                        at,
                    )
                continue
            if was_required != is_required:
                at = after.required[prop] if is_required else before.required[prop]
                if request and is_required:
                    self.add(
                        True,
                        "required",
                        part.where,
                        f"field `{path}` is now required; requests without it are refused",
                        at,
                    )
                elif request:
                    self.add(False, "required", part.where, f"field `{path}` is now optional", at)
                elif is_required:
                    self.add(False, "required", part.where, f"field `{path}` is now always present", at)
                else:
                    message = f"field `{path}` is no longer always present; clients that read it may find it missing"
                    self.add(True, "required", part.where, message, at)
            if prop in before.properties and prop in after.properties:
                (old_schema, old_at), (new_schema, new_at) = before.properties[prop], after.properties[prop]
                self.schema(part, path, old_schema, old_at, new_schema, new_at, seen)


def _base_paths(document: Mapping[str, Any]) -> set[str]:
    """The paths of the server URLs, with server variables at their defaults (``/`` when there is no server)."""
    paths = set()
    for server in document.get("servers") or [{"url": "/"}]:
        url = str(server.get("url", "/"))
        for variable, spec in (server.get("variables") or {}).items():
            url = url.replace(f"{{{variable}}}", str(spec.get("default", "")))
        paths.add(urlsplit(url).path.rstrip("/") or "/")
    return paths


def _auth(document: Mapping[str, Any], operation: Mapping[str, Any], at: str) -> tuple[set[frozenset[str]], str]:
    """The ways an operation accepts to authenticate, each a set of schemes as they appear on the wire."""
    if "security" in operation:
        requirements, where = operation["security"] or [], f"{at}/security"
    else:
        requirements, where = document.get("security") or [], "#/security"
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    options = set()
    for requirement in requirements or [{}]:
        options.add(frozenset(_scheme_text(schemes.get(name)) for name in requirement))
    return options, where


def _scheme_text(scheme: Any) -> str:
    """How a security scheme shows on the wire (its name in the spec does not)."""
    if not isinstance(scheme, dict):
        return "an undefined scheme"
    kind = scheme.get("type")
    if kind == "http":
        return f"HTTP {str(scheme.get('scheme', '')).capitalize()}"
    if kind == "apiKey":
        return f"API key in {scheme.get('in')} {scheme.get('name')}"
    if kind == "oauth2":
        return f"OAuth2 ({', '.join(sorted(scheme.get('flows') or {}))})"
    if kind == "openIdConnect":
        return f"OpenID Connect ({scheme.get('openIdConnectUrl')})"
    return str(kind)


def _auth_text(option: frozenset[str]) -> str:
    return " with ".join(sorted(option)) if option else "without credentials"


def _parameters(
    document: Mapping[str, Any], path: str, method: str
) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
    """An operation's parameters, the path's and its own (which win), by (location, name), with their pointers."""
    item = document.get("paths", {}).get(path, {})
    found: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for parts in (("paths", path), ("paths", path, method)):
        holder = item if len(parts) == 2 else item.get(method, {})
        for index, raw in enumerate(holder.get("parameters") or []):
            parameter, at = _follow(document, raw, pointer(*parts, "parameters", index))
            if isinstance(parameter, dict):
                located = str(parameter.get("in"))
                name = str(parameter.get("name"))
                found[located, name.lower() if located == "header" else name] = (parameter, at)
    return found


# -- comparing ------------------------------------------------------------------------------------------------------


def compare(root: Path, pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> list[list[Change]]:
    """The changes from old to new of each pair, sorted, breaking first; openapi-diff runs once for them all."""
    changed = [index for index, (old, new) in enumerate(pairs) if old != new]
    outcomes = run_openapi_diff(root, [_tool_input(*pairs[index]) for index in changed])
    results: list[list[Change]] = [[] for _ in pairs]
    for index, outcome in zip(changed, outcomes, strict=True):
        old, new = pairs[index]
        if "error" in outcome:
            raise SpecDiffError(f"openapi-diff could not compare the two versions: {outcome['error']}")
        changes = {*_tool_changes(outcome, old, new), *_Rules(old, new).run()}
        results[index] = sorted(
            changes, key=lambda change: (not change.breaking, change.where, change.pointer, change.message)
        )
    return results


def grouped(changes: Sequence[Change]) -> list[tuple[Change, list[str]]]:
    """The changes with the same message at the same pointer as one, with every place it shows (a shared schema)."""
    groups: dict[tuple[bool, str, str, str], tuple[Change, list[str]]] = {}
    for change in changes:
        key = (change.breaking, change.message, change.pointer, change.rule)
        groups.setdefault(key, (change, []))[1].append(change.where)
    return sorted(groups.values(), key=lambda group: (not group[0].breaking, group[1][0], group[0].pointer))


@dataclass
class ApiDiff:
    """One spec between the base and the working tree: added, removed, changed or unchanged."""

    name: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    changes: list[Change] = field(default_factory=list)

    @property
    def title(self) -> str:
        document = self.new or self.old or {}
        return str((document.get("info") or {}).get("title", self.name))

    @property
    def breaking(self) -> list[Change]:
        if self.new is None:
            return [Change(True, "API", "spec removed; every client of it breaks", "#", "spec-removed")]
        return [change for change in self.changes if change.breaking]

    @property
    def failed(self) -> bool:
        """Whether the gate refuses this spec: a breaking change without a major bump of ``info.version``."""
        return bool(self.breaking) and not major_bump(version_of(self.old), version_of(self.new))

    def verdict(self) -> str:
        old, new = version_of(self.old), version_of(self.new)
        if self.old is None:
            return f"added at version {new}"
        if self.new is None:
            return f"removed (was version {old}): breaking"
        if not self.breaking:
            return f"{old} → {new}: no breaking change"
        bump = major_bump(old, new)
        if bump:
            return f"{old} → {new}: breaking, with a major version bump"
        if bump is None:
            return f"{old} → {new}: breaking, and info.version is not a semver version, so no major bump can be told"
        return f"{old} → {new}: BREAKING without a major version bump (make info.version {next_major(old)} or more)"

    def report(self) -> str:
        groups = grouped(self.changes)
        breaking = sum(1 for change, _ in groups if change.breaking)
        counts = f" ({breaking} breaking, {len(groups) - breaking} non-breaking)" if groups else ""
        lines = [f"{self.name} ({SPEC_FOLDER}/{self.name}.yaml, {self.title}): {self.verdict()}{counts}"]
        for change, wheres in groups:
            label = "BREAKING    " if change.breaking else "non-breaking"
            lines.append(f"  {label}  {places(wheres)}: {change.message}")
            lines.append(f"  {'':12}  at {change.pointer}  [{change.rule}]")
        return "\n".join(lines)


def places(wheres: Sequence[str], limit: int | None = 4) -> str:
    """The places a change shows, each once: the first ``limit`` of them, and how many more."""
    unique = list(dict.fromkeys(wheres))
    if limit is None:
        return ", ".join(unique)
    shown = ", ".join(unique[:limit])
    return shown + (f" and {len(unique) - limit} more" if len(unique) > limit else "")


def diff_against(root: Path, base: str) -> list[ApiDiff]:
    """Every spec of the working tree compared with its version at the commit ``base``."""
    before, after = specs_at(root, base), working_specs(root)
    diffs = [
        ApiDiff(
            name,
            parse(before[name], f"{SPEC_FOLDER}/{name}.yaml at {base}") if name in before else None,
            parse(after[name], f"{SPEC_FOLDER}/{name}.yaml") if name in after else None,
        )
        for name in sorted(before.keys() | after.keys())
    ]
    pairs = [(diff.old, diff.new) for diff in diffs if diff.old is not None and diff.new is not None]
    both = [diff for diff in diffs if diff.old is not None and diff.new is not None]
    for diff, changes in zip(both, compare(root, pairs), strict=True):
        diff.changes = changes
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contract_tests.spec_diff", description=__doc__.split("\n")[0])
    parser.add_argument("--base", default=DEFAULT_BASE, help="the git commit to compare with (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        diffs = diff_against(ROOT, args.base)
    except SpecDiffError as exc:
        print(f"spec-diff: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"Specs in {SPEC_FOLDER}/ compared with {args.base}:")
    for diff in diffs:
        print(diff.report())
    failed = [diff.name for diff in diffs if diff.failed]
    if failed:
        print(f"spec-diff: breaking changes without a major version bump in: {', '.join(failed)}", file=sys.stderr)
        return EXIT_BREAKING
    return 0


if __name__ == "__main__":
    sys.exit(main())
