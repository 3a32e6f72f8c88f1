"""``python -m linker``: the same command line as the ``linker`` script."""

from linker.cli import main

main()
