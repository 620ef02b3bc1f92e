"""Temporary export written by the app engineer; the grouping engineer replaces this file."""
from idea4gov.grouping.tokenize import tokenize  # noqa: F401
