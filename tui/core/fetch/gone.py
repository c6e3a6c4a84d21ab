"""Pages that answer 200 but say the page is gone ("soft 404s", parked domains).

Many sites answer a dead link with a normal page: "Page not found", "This page is no longer available",
"This domain is for sale". Matching quotes against it is pointless, and the archived copy is what the
checker needs. Only a short page qualifies (a real article about missing pages is long), and the words must
be in its title or its opening.
"""

from __future__ import annotations

import re
from typing import Final

from ..models import Source

# A page longer than this (readable characters) is an article, whatever its title says.
GONE_MAX_CHARS: Final = 1500
_OPENING_CHARS: Final = 300

_GONE = re.compile(
    r"\b(?:"
    r"error\s*404\b|404\s*(?:error\b|[-–:|]?\s*(?:page\s+)?not\s+found)"
    r"|410\s+gone"
    r"|page\s+(?:was\s+|is\s+)?not\s+found"
    r"|not\s+found\b.{0,40}\b(?:page|article|story|url)"
    r"|(?:page|article|story|content)\s+(?:you\s+(?:are|were)\s+looking\s+for\s+)?"
    r"(?:is\s+|was\s+|has\s+been\s+)?(?:no\s+longer\s+available|removed|deleted|unavailable|gone)"
    r"|(?:page|article|story)\s+(?:does\s+not|doesn[’']t|no\s+longer)\s+exists?"
    r"|(?:this\s+)?domain\s+(?:name\s+)?(?:is\s+|may\s+be\s+)?for\s+sale"
    r"|(?:this\s+)?domain\s+(?:has\s+)?expired"
    r")",
    re.IGNORECASE | re.DOTALL,
)


def gone_reason(source: Source) -> str | None:
    """A sentence when the page says it is gone, else None."""
    if len(source.text) > GONE_MAX_CHARS:
        return None
    for place in (source.title or "", source.text[:_OPENING_CHARS]):
        m = _GONE.search(place)
        if m:
            said = " ".join(m.group(0).split())
            return (
                f"The page answers but says it is gone (“{said}”): the source has been removed or moved; "
                "an archived copy may still hold it."
            )
    return None
