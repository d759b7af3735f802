"""Uninstalling and reinstalling the app on a site with data leaves ERPNext's documents and GL
untouched. Runs after every other test (see conftest)."""

import subprocess
import sys

import frappe
import pytest

from .conftest import BENCH, SITE
from .factory import ensure_company, ensure_item, ensure_item_group, ensure_warehouse, seed_002_layout

# A company of its own: the stock it leaves behind must not meet other tests' rule changes.
COMPANY = "PIP Install Cycle Co"


def frappe_cli(*args):
	subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", SITE, *args],
		cwd=BENCH / "sites",
		check=True,
		capture_output=True,
	)


def erpnext_snapshot():
	def one(sql):
		return tuple(frappe.db.sql(sql)[0])

	return {
		"gl": one("select count(*), sum(debit), sum(credit), sum(debit - credit) from `tabGL Entry`"),
		"sle": one("select count(*), sum(actual_qty), sum(stock_value_difference) from `tabStock Ledger Entry`"),
		"receipts": one("select count(*), sum(base_grand_total) from `tabPurchase Receipt` where docstatus = 1"),
		"accounts": one("select count(*) from `tabAccount`"),
		"warehouse_accounts": tuple(frappe.db.sql("select name, account from `tabWarehouse` order by name")),
	}


@pytest.mark.install_cycle
def test_uninstall_and_reinstall_leave_erpnext_data_untouched(site):
	ensure_company(COMPANY, "PIC")
	layout = seed_002_layout(COMPANY)
	ensure_item_group("PIP Raw Material", is_group=1)
	ensure_item("PIP-RM0001", ensure_item_group("PIP Metals", parent="PIP Raw Material"))
	bay = ensure_warehouse(COMPANY, "PIP Cycle Bay", create_account_under="Stock Assets - PIC")
	if not frappe.db.exists("Supplier", "PIP Supplier"):
		frappe.get_doc({"doctype": "Supplier", "supplier_name": "PIP Supplier", "supplier_group": "All Supplier Groups"}).insert()
	receipt = frappe.get_doc(
		{
			"doctype": "Purchase Receipt",
			"company": COMPANY,
			"supplier": "PIP Supplier",
			"items": [
				{"item_code": "PIP-RM0001", "qty": 2, "rate": 100, "warehouse": layout["Work In Progress"]},
				{"item_code": "PIP-RM0001", "qty": 1, "rate": 50, "warehouse": bay},
			],
		}
	).insert()
	receipt.submit()
	frappe.db.commit()
	assert frappe.db.count("GL Entry", {"voucher_no": receipt.name}) > 0
	before = erpnext_snapshot()

	frappe_cli("uninstall-app", "perpetual_inventory_plus", "--yes", "--no-backup")
	frappe.db.rollback()
	frappe.clear_cache()
	assert "perpetual_inventory_plus" not in frappe.get_installed_apps()
	assert not frappe.db.exists("DocType", "Inventory Account Rule")
	assert not frappe.db.exists("Custom Field", "Warehouse-create_account_under")
	assert erpnext_snapshot() == before
	frappe.get_doc("Warehouse", bay)  # still loads without the custom field

	frappe_cli("install-app", "perpetual_inventory_plus")
	frappe.db.rollback()
	frappe.clear_cache()
	assert "perpetual_inventory_plus" in frappe.get_installed_apps()
	assert frappe.db.exists("DocType", "Inventory Account Rule")
	assert frappe.db.exists("Custom Field", "Warehouse-create_account_under")
	assert erpnext_snapshot() == before
