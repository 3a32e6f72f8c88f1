"""Tests of linker.compare."""
