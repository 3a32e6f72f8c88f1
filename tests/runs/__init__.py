"""Tests of linker.runs."""
