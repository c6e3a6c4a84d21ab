"""Colour roles (`tui.session.glyphs.Tone`, `InfoLine.tone`) as the theme's style variables."""

from __future__ import annotations

from typing import Final

TONES: Final[dict[str, str]] = {
    "plain": "",
    "muted": "$text-muted",
    "accent": "$text-accent",
    "success": "$text-success",
    "warning": "$text-warning",
    "error": "$text-error",
    "primary": "$text-primary",
}
