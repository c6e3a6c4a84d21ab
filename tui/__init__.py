"""sourcecheck: check an article against its sources, in the terminal."""

import sys

__version__ = "0.1.0"

# httpx's package imports its own command line (`httpx._main`: click, rich.syntax, pygments; 35-40 ms
# of every run that fetches, measured with `python -X importtime`) whenever click happens to be
# installed. sourcecheck never runs that command line: a None entry in sys.modules makes the import
# raise ImportError, the case httpx's __init__ already handles (its `main` then asks for httpx[cli]).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
