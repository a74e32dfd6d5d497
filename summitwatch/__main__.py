"""``python -m summitwatch`` runs the same CLI as the ``summitwatch`` script."""

from summitwatch.cli import main

main()
