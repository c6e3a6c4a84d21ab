"""Widgets of the reader: claims list, text views (article and source), source pane, note editor."""
