"""A package of modules that tests/py/multi_module.py imports (not a program itself)."""

print("loading", __name__)
