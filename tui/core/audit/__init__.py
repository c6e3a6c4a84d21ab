"""Auditing many articles: the same pipeline per article, results in a resumable SQLite database."""
