"""The reports of a drift run: ``drift-<api>.json`` (every difference, with its request), ``drift-<api>.md`` (grouped
by operation and kind of difference) and ``drift-<api>.xml`` (JUnit: one test case per operation).

Requests are shown as the run masked them: credentials read ``[Filtered]``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

from ..cassette import Request
from .compare import decode
from .session import Difference, Drift

#: Request headers the client adds on its own: left out of the report, which shows what the case chose.
TRANSPORT_HEADERS = frozenset(
    {"user-agent", "accept", "accept-encoding", "connection", "content-length", "host", "x-schemathesis-testcaseid"}
)


def request_json(request: Request) -> dict[str, Any]:
    _, body = decode(request.body or b"")
    headers = {name: value for name, value in request.headers if name.lower() not in TRANSPORT_HEADERS}
    return {"method": request.method, "path": request.path, "headers": headers, "body": body}


def difference_json(difference: Difference) -> dict[str, Any]:
    return {
        "operation": difference.operation,
        "live_status": difference.live_status,
        "mock_status": difference.mock_status,
        "detail": f"{difference.kind}: {difference.detail}",
        "request": request_json(difference.request),
    }


def count(number: int, noun: str) -> str:
    """``1 request``, ``2 requests``."""
    return f"{number} {noun}" + ("" if number == 1 else "s")


def paths(reports: Path, api: str) -> dict[str, Path]:
    return {suffix: reports / f"drift-{api}.{suffix}" for suffix in ("json", "md", "xml")}


def write(drift: Drift, reports: Path, *, source: str) -> dict[str, Path]:
    """Write the three reports of ``drift`` into ``reports``; ``source`` says what mock answers were compared with."""
    reports.mkdir(parents=True, exist_ok=True)
    files = paths(reports, drift.spec.name)
    document = {
        "api": drift.spec.name,
        "cases": drift.cases,
        "differences": [difference_json(d) for d in drift.differences],
    }
    files["json"].write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    files["md"].write_text(markdown(drift, source), encoding="utf-8")
    files["xml"].write_bytes(junit(drift))
    return files


def _kinds(differences: list[Difference]) -> dict[str, Counter[tuple[int | None, int | None, str]]]:
    grouped: dict[str, Counter[tuple[int | None, int | None, str]]] = {}
    for difference in differences:
        key = (difference.live_status, difference.mock_status, difference.detail)
        grouped.setdefault(difference.kind, Counter())[key] += 1
    return grouped


def markdown(drift: Drift, source: str) -> str:
    differences = drift.differences
    lines = [
        f"# Drift: {drift.spec.name}",
        "",
        f"{count(drift.cases, 'request')}, each sent to {source} and to the mock, in the same order: "
        + (f"**{count(len(differences), 'difference')}**." if differences else "no difference."),
        "",
        "| operation | requests | differences |",
        "|---|---:|---:|",
    ]
    for operation, result in drift.results.items():
        lines.append(f"| `{operation}` | {result.cases} | {len(result.differences)} |")
    for operation, result in drift.results.items():
        if not result.differences:
            continue
        lines += ["", f"## `{operation}`"]
        for kind, details in sorted(_kinds(result.differences).items()):
            lines += ["", f"### {kind} ({sum(details.values())})", ""]
            for (live, mock, detail), seen in details.most_common():
                times = f" ({seen} requests)" if seen > 1 else ""
                lines.append(f"- live {_status(live)}, mock {_status(mock)}: {detail}{times}")
    return "\n".join(lines) + "\n"


def _status(status: int | None) -> str:
    return "no answer" if status is None else str(status)


def junit(drift: Drift) -> bytes:
    """JUnit XML: one test case per operation, failed with its differences, skipped if no request reached it."""
    api = drift.spec.name
    suites = ET.Element("testsuites")
    failed = sum(1 for result in drift.results.values() if result.differences)
    skipped = sum(1 for result in drift.results.values() if not result.cases)
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"drift-{api}",
        tests=str(len(drift.results)),
        failures=str(failed),
        errors="0",
        skipped=str(skipped),
    )
    for operation, result in drift.results.items():
        case = ET.SubElement(suite, "testcase", classname=f"drift.{api}", name=operation)
        properties = ET.SubElement(case, "properties")
        ET.SubElement(properties, "property", name="requests", value=str(result.cases))
        if not result.cases:
            ET.SubElement(case, "skipped", message="no request reached this operation")
        elif result.differences:
            message = f"{count(len(result.differences), 'difference')} from live"
            failure = ET.SubElement(case, "failure", message=message)
            failure.text = "\n".join(
                f"{kind}: live {_status(live)}, mock {_status(mock)}: {detail} ({seen}x)"
                for kind, details in sorted(_kinds(result.differences).items())
                for (live, mock, detail), seen in details.most_common()
            )
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True)
