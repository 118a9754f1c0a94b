"""Shared by the tests: paths to scripts/lib and the fixtures, and the lib modules on sys.path."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.normpath(os.path.join(HERE, "..", "lib"))
FIXTURES = os.path.join(HERE, "fixtures")
if LIB not in sys.path:
    sys.path.insert(0, LIB)


def fixture(name):
    return os.path.join(FIXTURES, name)


def read_fixture(name):
    with open(fixture(name)) as f:
        return f.read()
