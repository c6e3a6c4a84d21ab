"""Turn a report (contract.md shape) and the user's anchored notes into something to hand on.

Three faces of the same data: Markdown an editor reads, JSON a script reads (the report plus notes), and
W3C Web Annotations (JSON-LD) that annotation tools exchange. Each function takes the report dict and the
`AnchoredNote`s from `anchoring.anchor_notes(...)` and never touches the database or the network.

Modules: `placement` (notes sorted onto the report), `markdown`, `json_export`, `annotations`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Final, Literal

from ..notes import AnchoredNote
from .annotations import ANNO_CONTEXT, export_annotations
from .json_export import export_json
from .markdown import export_markdown, md_escape, render_diff
from .placement import note_dict

ExportFormat = Literal["markdown", "json", "annotations"]
FORMATS: Final[tuple[ExportFormat, ...]] = ("markdown", "json", "annotations")


def export(report: dict, anchored: Sequence[AnchoredNote], fmt: ExportFormat) -> str:
    """The export as text, ready to print or write to a file."""
    if fmt == "markdown":
        return export_markdown(report, anchored)
    if fmt == "json":
        return json.dumps(export_json(report, anchored), ensure_ascii=False, indent=2) + "\n"
    if fmt == "annotations":
        return json.dumps(export_annotations(report, anchored), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


__all__ = [
    "ANNO_CONTEXT",
    "FORMATS",
    "ExportFormat",
    "export",
    "export_annotations",
    "export_json",
    "export_markdown",
    "md_escape",
    "note_dict",
    "render_diff",
]
