"""Tests of linker.browse."""
