"""Standard modules written in service-level Python: what a service compiles in place of
CPython's module of the same name (kaa/service/__init__.py's KAA_SOURCES maps them), and
the plain-Python helpers they share (dns), which also run under CPython."""
