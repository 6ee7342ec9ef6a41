"""`python -m veille` is the `veille` command."""

from veille.cli import main

main()
