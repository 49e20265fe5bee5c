"""Compatibility layers for code written against other JWT libraries."""
