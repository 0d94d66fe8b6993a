"""The `tessera` command: Django's manage.py plus Tessera's own commands (serve, demo, createadmin, ...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessera.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tessera", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
