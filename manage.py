#!/usr/bin/env python
import os
import sys

from django.core.management import execute_from_command_line


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if sys.argv[1:2] == ["serve"]:
        # The web server's request threads share a pool of database connections, as in
        # config/asgi.py; the settings are read before the command runs.
        os.environ.setdefault("MITPLANEN_DATABASE_POOL", "1")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
