"""Widgets handlers: pure state changes on the caller's tenant, named after their operationIds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mock_server.core.context import Context
from mock_server.core.errors import NotFound, truncate


def get_widget(ctx: Context, slug: str) -> tuple[dict[str, Any], int]:
    with ctx.state() as widgets:
        return _view(slug, _find(widgets, slug)), 200


def rename_widget(ctx: Context, slug: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    with ctx.state() as widgets:
        widget = _find(widgets, slug)
        widget["name"] = body["name"]
        return _view(slug, widget), 200


def views(widgets: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every stored widget as ``get_widget`` answers it, so that the mock checks fixtures against the spec."""
    for slug, widget in widgets["items"].items():
        yield f"items.{slug}", "get_widget", _view(slug, widget)


def _find(widgets: dict[str, Any], slug: str) -> dict[str, Any]:
    widget: dict[str, Any] | None = widgets["items"].get(slug)
    if widget is None:
        raise NotFound(f"no widget {truncate(slug)}", entity="widget", key=slug)
    return widget


def _view(slug: str, widget: dict[str, Any]) -> dict[str, Any]:
    return {"slug": slug, "name": widget["name"]}
