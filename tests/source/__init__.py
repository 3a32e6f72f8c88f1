"""Tests of linker.source."""
