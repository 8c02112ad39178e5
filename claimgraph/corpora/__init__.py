"""Readers for openly licensed argument-annotated corpora, and their conversion to gold files."""
