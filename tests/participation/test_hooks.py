"""`participation.hooks.app_modules`: the one way the base and the overview find an app's hook
module (docs/architecture.md, "Hook points")."""

import pytest
from django.apps import apps as django_apps

from participation.hooks import app_modules

APPS = "tests.participation.hook_apps"


class StandIn:
    """An installed app as the registry gives it: only its name is read."""

    def __init__(self, name):
        self.name = name


def installed(monkeypatch, *names):
    configs = [StandIn(f"{APPS}.{name}") for name in names]
    monkeypatch.setattr(django_apps, "get_app_configs", lambda: configs)
    return configs


def test_app_modules_gives_each_apps_hook_in_app_order():
    found = app_modules("demo")
    names = [config.name for config, _module in found]
    order = [config.name for config in django_apps.get_app_configs()]
    assert names == sorted(names, key=order.index)
    assert {"surveys", "workshops", "meetings", "consultations"} <= set(names)
    assert all(module.__name__ == f"{config.name}.demo" for config, module in found)


def test_app_modules_skips_an_app_without_the_module(monkeypatch):
    configs = installed(monkeypatch, "without_hook", "with_hook")
    [(config, module)] = app_modules("probe")
    assert config is configs[1]
    assert module.__name__ == f"{APPS}.with_hook.probe"


def test_app_modules_raises_when_the_hook_imports_a_missing_module(monkeypatch):
    """The hook exists but is broken: its own missing import surfaces, it is not skipped."""
    installed(monkeypatch, "with_hook", "broken_hook")
    with pytest.raises(ModuleNotFoundError) as raised:
        app_modules("probe")
    assert raised.value.name == f"{APPS}.nowhere"
