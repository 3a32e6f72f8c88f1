"""Tests of linker.net."""
