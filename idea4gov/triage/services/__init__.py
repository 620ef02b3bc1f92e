"""Triage business rules, split by what they do; they flush, never commit."""
