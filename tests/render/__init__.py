"""Tests of linker.render."""
