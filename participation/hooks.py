"""The hook points: an installed app takes part in a mechanism of the base or of the overview
by having a module of an agreed name (`<app>.purges`, `<app>.erasure`, `<app>.personal_data`,
`<app>.demo`, `<app>.home`, `<app>.report`; docs/architecture.md). They are found through the
app registry, so the base never imports a feature app, and a later app joins by adding the
module."""

import importlib

from django.apps import apps


def app_modules(name):
    """(app config, module) of every installed app that has a module `name`, in app order.

    Only the absence of that very module is skipped. A module that exists but fails to import,
    even for a module it imports itself that is missing, raises: a broken hook must not
    quietly drop out."""
    found = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        found.append((config, module))
    return found
