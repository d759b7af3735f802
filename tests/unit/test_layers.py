"""The layout's rules, read from the source (nothing is imported, so this runs without a bench):

- a capability's `core.py` is pure: it imports neither frappe nor erpnext, nor any module of the app
  but another capability's core;
- a capability imports another part of the app only where the "May import:" line of its package
  docstring allows it (a module path allows that module, a package every module in it).
"""

import ast
from pathlib import Path

import pytest

APP = "perpetual_inventory_plus"
ROOT = Path(__file__).resolve().parents[2] / APP
CAPABILITIES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if (p.parent / "core.py").exists())


def imported_modules(path: Path):
	"""Every absolute module name `path` imports, wherever in the file the import stands."""
	for node in ast.walk(ast.parse(path.read_text(), str(path))):
		if isinstance(node, ast.Import):
			yield from (alias.name for alias in node.names)
		elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
			# `from app.pkg import module` may name a module: count both readings.
			yield node.module
			yield from (f"{node.module}.{alias.name}" for alias in node.names)


def app_imports(path: Path):
	return {name.removeprefix(APP + ".") for name in imported_modules(path) if name.startswith(APP + ".")}


def allowed(capability: str) -> list[str]:
	doc = ast.get_docstring(ast.parse((ROOT / capability / "__init__.py").read_text())) or ""
	lines = [line for line in doc.splitlines() if line.startswith("May import:")]
	assert len(lines) == 1, f"{capability}/__init__.py: its docstring needs one 'May import:' line"
	return [name.strip() for name in lines[0].removeprefix("May import:").split(",") if name.strip()]


def test_there_are_the_five_capabilities():
	assert {"accounts", "migration", "posting", "reclassification", "srbnb"} <= set(CAPABILITIES)


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_core_is_pure(capability):
	core = ROOT / capability / "core.py"
	names = set(imported_modules(core))
	assert not {n for n in names if n.split(".")[0] in ("frappe", "erpnext")}, f"{core} imports frappe or erpnext"
	impure = {n for n in app_imports(core) if not n.split(".")[1:2] == ["core"]}
	assert not impure, f"{core} imports the app's site layer: {sorted(impure)}"


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_capability_imports_only_what_its_docstring_allows(capability):
	permitted = [capability, *allowed(capability)]
	for module in sorted((ROOT / capability).rglob("*.py")):
		for name in app_imports(module):
			ok = any(name == p or name.startswith(p + ".") or p.startswith(name + ".") for p in permitted)
			assert ok, f"{module.relative_to(ROOT)} imports {APP}.{name}, which {capability}/__init__.py does not allow"


def test_the_settings_accessor_imports_no_capability():
	assert not {n for n in app_imports(ROOT / "settings.py") if n.split(".")[0] in CAPABILITIES}
