"""Tests of linker.ptt."""
