# Shim for tooling that still calls setup.py; the package metadata lives in pyproject.toml.
from setuptools import setup

setup()
