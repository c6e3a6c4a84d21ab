"""Words every face uses for what the user supplied and for archived copies, so they say the same thing."""

from __future__ import annotations

from datetime import datetime


def human_date(iso: str) -> str:
    """`2025-03-04T10:00:00Z` -> `4 March 2025` (the date as written, when it is not ISO)."""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return f"{when.day} {when:%B %Y}"


def archived_copy_label(original_url: str, memento_datetime: str) -> str:
    """How an archived copy read in place of a dead source is named everywhere (Memento, RFC 7089)."""
    when = f" from {human_date(memento_datetime)}" if memento_datetime else ""
    return f"archived copy of {original_url}{when}"


def supplied_label(given: str) -> str:
    """How a source the user attached by hand is named."""
    return f"source supplied by hand: {given}"
