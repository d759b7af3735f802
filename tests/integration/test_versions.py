"""versions.py on the release this bench runs: the class hook it picks composes the mixins into
ERPNext's stock vouchers, and the schema facts it reads are the site's."""

import frappe

from perpetual_inventory_plus import versions
from perpetual_inventory_plus.hooks import _stock_vouchers as STOCK_VOUCHERS
from perpetual_inventory_plus.migration.opened_receipts import BillsOpenedReceipts
from perpetual_inventory_plus.posting.resolved_accounts import ResolvedInventoryAccounts


def test_the_hook_matches_the_frappe_release(site):
	hooks = frappe.get_hooks(app_name="perpetual_inventory_plus")
	assert versions.EXTENDS_DOCTYPE_CLASS == (int(frappe.__version__.split(".")[0]) >= 16)
	used = "extend_doctype_class" if versions.EXTENDS_DOCTYPE_CLASS else "override_doctype_class"
	unused = "override_doctype_class" if versions.EXTENDS_DOCTYPE_CLASS else "extend_doctype_class"
	assert set(hooks.get(used) or {}) == set(STOCK_VOUCHERS) and not hooks.get(unused)


def test_every_stock_voucher_class_carries_the_mixins_in_front_of_erpnexts(site):
	from frappe.model.base_document import get_controller

	for doctype in STOCK_VOUCHERS:
		mro = get_controller(doctype).__mro__
		assert ResolvedInventoryAccounts in mro, doctype
		# mro[0] is the class frappe composes (frappe 16 gives it the erpnext class's module)
		erpnext_class = next(c for c in mro[1:] if c.__module__.startswith("erpnext."))
		assert mro.index(ResolvedInventoryAccounts) < mro.index(erpnext_class), doctype
	assert BillsOpenedReceipts in get_controller("Purchase Invoice").__mro__


def test_the_schema_facts_are_the_sites(site):
	assert frappe.db.has_column("Purchase Receipt Item", versions.receipt_price_adjustment_column())
	has_item_wise = frappe.get_meta("Company").has_field("enable_item_wise_inventory_account")
	assert versions.ASKS_INVENTORY_ACCOUNT_PER_LINE == has_item_wise
	from erpnext.controllers.stock_controller import StockController

	assert versions.ASKS_INVENTORY_ACCOUNT_PER_LINE == hasattr(StockController, "get_inventory_account_dict")
