"""sourcecheck: check an article against its sources, in the terminal."""

__version__ = "0.1.0"
