"""A hook module that imports."""
