"""Whether the browser layer can run here, and the one line that says why not."""

import os
import shutil
from importlib.util import find_spec
from pathlib import Path

import pytest

BENCH = Path(os.environ.get("FRAPPE_BENCH", "~/frappe-bench")).expanduser()
SITE = os.environ.get("FRAPPE_SITE", "test_site")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def missing() -> str | None:
	if find_spec("frappe") is None:
		return f"no Frappe bench at {BENCH}"
	if not (BENCH / "sites" / "assets" / "frappe" / "dist").is_dir():
		return f"no built Desk assets in {BENCH}/sites/assets (run bench build)"
	if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
		return "no chromium and chromedriver (apt-get install chromium chromium-driver)"
	return None


def require():
	"""Skip the importing test module when the layer cannot run. Every module skips at this same
	line, so pytest reports the whole layer in one line."""
	if reason := missing():
		pytest.skip(f"browser layer skipped: {reason}", allow_module_level=True)
