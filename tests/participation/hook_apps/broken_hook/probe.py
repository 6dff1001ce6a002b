"""A hook module that exists but imports a module that does not."""

import tests.participation.hook_apps.nowhere  # noqa: F401
