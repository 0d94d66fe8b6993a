"""The `tessera` command: Django's manage.py plus Tessera's own commands (serve, demo, createadmin, ...)."""

import os
import sys


def command_args(args: list[str]) -> list[str]:
    """`tessera verify-ledger ...` runs the verify_ledger command: dashes in the name become underscores."""
    args = list(args)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    return args


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessera.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tessera", *command_args(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
