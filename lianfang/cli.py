"""``lianfang <command>``: manage.py with the project's commands spelled with hyphens
(``lianfang seed-demo`` runs ``seed_demo``; ``lianfang regions load F`` runs ``regions load F``)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lianfang", *args])


if __name__ == "__main__":
    main()
