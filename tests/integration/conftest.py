"""The integration layer runs on a real ERPNext site: FRAPPE_BENCH (default ~/frappe-bench),
FRAPPE_SITE (default test_site). Without a bench it is skipped with one line saying why.

Each test runs in a transaction that is rolled back afterwards; the companies and masters the
tests share are created once, idempotently, and committed."""

import os
from pathlib import Path

import pytest

BENCH = Path(os.environ.get("FRAPPE_BENCH", "~/frappe-bench")).expanduser()
SITE = os.environ.get("FRAPPE_SITE", "test_site")

try:
	import frappe
except ImportError:
	frappe = None

NO_BENCH = (
	f"integration layer skipped: no Frappe bench at {BENCH} "
	"(set FRAPPE_BENCH / FRAPPE_SITE and run scripts/run-tests)"
)
if frappe is None:
	# Only the site check is collected: it reports the skip once, instead of a skip per module.
	collect_ignore = [p.name for p in Path(__file__).parent.glob("test_*.py") if p.name != "test_site.py"]


def pytest_collection_modifyitems(config, items):
	# Uninstalling the app must come after every test that needs it.
	items.sort(key=lambda item: item.get_closest_marker("install_cycle") is not None)


@pytest.fixture(scope="session")
def site():
	if frappe is None:
		pytest.skip(NO_BENCH)
	frappe.init(site=SITE, sites_path=str(BENCH / "sites"))
	frappe.connect()
	frappe.flags.in_test = True
	frappe.in_test = True  # frappe 16 reads this one (stock reposts run at once, fresh warehouse maps)
	frappe.set_user("Administrator")
	yield frappe
	frappe.db.rollback()
	frappe.destroy()


@pytest.fixture(autouse=True)
def rollback(request, site):
	yield
	frappe.db.rollback()
	frappe.set_user("Administrator")
	# Cached documents read inside the rolled-back transaction must not outlive it.
	frappe.clear_cache()
	frappe.local.flags.pop("warehouse_account_map", None)
	# ERPNext keeps each company's perpetual switch for the life of the process.
	if hasattr(frappe.local, "enable_perpetual_inventory"):
		del frappe.local.enable_perpetual_inventory


@pytest.fixture(scope="module")
def posting(site):
	"""Seed 002's posting company (see stock_documents.py)."""
	from .stock_documents import posting_setup

	return posting_setup()
