"""The app's list of stock vouchers against the release's own: every ERPNext doctype whose
controller is a StockController either posts its stock GL through the app or is named here with
the reason it posts none, so an ERPNext upgrade that adds one fails this test."""

import re
from pathlib import Path

import frappe

from perpetual_inventory_plus.accounts.stock_rows import WAREHOUSE_FIELDS
from perpetual_inventory_plus.hooks import _stock_vouchers as STOCK_VOUCHERS

# StockController subclasses that post no stock GL of their own.
POSTS_NO_STOCK_GL = {
	"Material Request": "a request moves no stock",
	"Request for Quotation": "asks suppliers for prices; moves no stock",
	"Quotation": "an offer moves no stock",
	"Sales Order": "an order moves no stock",
	"Supplier Quotation": "an offer moves no stock",
	"Purchase Order": "an order moves no stock; a subcontracted one sends material by Stock Entry",
	"Subcontracting Order": "an order moves no stock; its material moves by Stock Entry",
	"Subcontracting Inward Order": "version-16: an order for work on a customer's material, which moves by Stock Entry",
	"POS Invoice": "consolidated into a Sales Invoice, which posts its stock and GL",
}


def stock_controller_doctypes():
	from erpnext.controllers.stock_controller import StockController
	from frappe.model.base_document import get_controller

	modules = frappe.get_all("Module Def", filters={"app_name": "erpnext"}, pluck="name")
	doctypes = frappe.get_all(
		"DocType", filters={"module": ("in", modules), "istable": 0, "issingle": 0, "is_submittable": 1}, pluck="name"
	)
	return {d for d in doctypes if issubclass(get_controller(d), StockController)}


def test_every_stock_controller_doctype_is_covered_or_named_with_its_reason(site):
	found = stock_controller_doctypes()
	assert found - set(STOCK_VOUCHERS) - set(POSTS_NO_STOCK_GL) == set(), "not covered by the app"
	assert set(STOCK_VOUCHERS) <= found
	named = {d for d in POSTS_NO_STOCK_GL if frappe.db.exists("DocType", d)}  # some are one release's
	assert named <= found, "named here but no longer a StockController"


def test_the_covered_list_is_one_list(site):
	"""hooks.py, the warehouse fields of stock rows and the Desk's Why This Account button agree."""
	assert set(WAREHOUSE_FIELDS) == set(STOCK_VOUCHERS)
	script = Path(frappe.get_app_path("perpetual_inventory_plus", "public", "js", "inventory_account_trace.js")).read_text()
	listed = re.search(r"const pip_stock_doctypes = \[(.*?)\];", script, re.S).group(1)
	assert set(re.findall(r'"([^"]+)"', listed)) == set(STOCK_VOUCHERS)
