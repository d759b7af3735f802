"""The browser tests' own company and masters, committed because the Desk's web server reads them
from the database. Setup is idempotent; what a test creates in the Desk either carries a unique
name or is cleared here before the next run. Everything belongs to companies of their own, so
the integration tests that run on the same site afterwards never meet it."""

# ruff: noqa: E402  (the layer skips itself before importing frappe)
from .availability import require

require()

import frappe

from ..integration.factory import (
	enable_app_for,
	ensure_account,
	ensure_company,
	ensure_item,
	ensure_item_group,
	ensure_party,
	reclassify_rule,
	seed_002_layout,
)

COMPANY = "PIP Desk Co"
A = "PDC"
# A second company, for the settings page's per-company switches.
SETTINGS_COMPANY = "PIP Desk Settings Co"
ITEM_GROUP = "PIP Desk Metals"
ITEM = "PIP-DESK-RM"
SUPPLIER = "PIP Desk Supplier"
# Supplies the one receipt the SRBNB Reconciliation test reads (srbnb_setup).
SRBNB_SUPPLIER = "PIP Desk SRBNB Supplier"
# Marks the rules test_inventory_account_rule.py creates in the Desk, so a rerun starts clean.
DESK_RULE_NOTE = "Created by the browser tests"
# A company on periodic inventory, which test_migration.py moves to perpetual in the Desk.
PERIODIC_COMPANY = "PIP Desk Periodic Co"
PA = "PDP"
MIGRATION = "Perpetual Inventory Migration"


def acc(name: str) -> str:
	return f"{name} - {A}"


def setup() -> dict:
	ensure_company(COMPANY, A)
	data = seed_002_layout(COMPANY, stores_is_group=0)
	ensure_item_group(ITEM_GROUP)
	ensure_item(ITEM, ITEM_GROUP)
	for name in ("Shipping Charges", "Customs Duty"):
		ensure_account(COMPANY, name, acc("Indirect Expenses"), account_type="Chargeable")
	data["rule account"] = ensure_account(COMPANY, "Raw Material Stock", acc("Stock Assets"))
	data["desk rule account"] = ensure_account(COMPANY, "Desk Rule Stock", acc("Stock Assets"))
	ensure_party("Supplier", SUPPLIER)
	ensure_company(SETTINGS_COMPANY, "PDS")
	# The seed's receipt carries only its two valuation charges: no default purchase tax.
	for template in frappe.get_all("Purchase Taxes and Charges Template", {"company": COMPANY, "is_default": 1}, pluck="name"):
		frappe.db.set_value("Purchase Taxes and Charges Template", template, "is_default", 0)

	enable_app_for(COMPANY, posting_guard="Block Submit")
	settings = frappe.get_single("Perpetual Inventory Settings")
	settings.companies = [row for row in settings.companies if row.company != SETTINGS_COMPANY]
	settings.save()

	# Rules change with their reclassification: earlier runs left stock in the company.
	for name in frappe.get_all("Inventory Account Rule", {"company": COMPANY, "description": DESK_RULE_NOTE}, pluck="name"):
		reclassify_rule(COMPANY, "Delete", name)
	data["group rule"] = frappe.db.get_value(
		"Inventory Account Rule",
		{"company": COMPANY, "item_group": ITEM_GROUP, "item": ("is", "not set"), "warehouse": ("is", "not set"), "disabled": 0},
	) or reclassify_rule(COMPANY, "Add", rule_account=data["rule account"], rule_item_group=ITEM_GROUP)
	if frappe.db.get_value("Inventory Account Rule", data["group rule"], "account") != data["rule account"]:
		# a reclassification test stopped before it could cancel its change
		reclassify_rule(COMPANY, "Change Account", data["group rule"], rule_account=data["rule account"])
	data["periodic"] = periodic_setup()
	data["srbnb receipt"] = srbnb_setup(data["Finished Goods"])
	frappe.db.commit()
	return data


def periodic_setup() -> dict:
	"""A periodic company with one receipt, 10 x 200 into Stores ten days ago, billed 4 of 10,
	so it holds stock worth 2,000 with no GL behind it, and 6 x 200 received and not billed.
	A migration the previous run executed is undone first (the Desk cannot undo one)."""
	from erpnext.stock.doctype.purchase_receipt.purchase_receipt import make_purchase_invoice

	from ..integration.periodic_history import SUPPLIER as PERIODIC_SUPPLIER
	from ..integration.periodic_history import day, invoice, receipt

	ensure_company(PERIODIC_COMPANY, PA, perpetual=0)
	ensure_party("Supplier", PERIODIC_SUPPLIER)
	undo_migrations(PERIODIC_COMPANY)
	stores = f"Stores - {PA}"
	pr = frappe.db.get_value("Purchase Receipt", {"company": PERIODIC_COMPANY, "docstatus": 1})
	if not pr:
		pr = receipt(day(-10), [(ITEM, 10, 200, stores)], company=PERIODIC_COMPANY).name
		partly = make_purchase_invoice(pr)
		partly.items[0].qty = 4
		invoice(partly, day(-9))
	return {"company": PERIODIC_COMPANY, "receipt": pr, "warehouse": stores}


def srbnb_setup(warehouse: str) -> str:
	"""A receipt of 10 x 200 whose invoice bills 6: 4 x 200 stays in Stock Received But Not Billed."""
	from erpnext.stock.doctype.purchase_receipt.purchase_receipt import make_purchase_invoice

	ensure_party("Supplier", SRBNB_SUPPLIER)
	pr = frappe.db.get_value("Purchase Receipt", {"company": COMPANY, "supplier": SRBNB_SUPPLIER, "docstatus": 1})
	if pr:
		return pr
	receipt = frappe.get_doc(
		{
			"doctype": "Purchase Receipt",
			"company": COMPANY,
			"supplier": SRBNB_SUPPLIER,
			"items": [{"item_code": ITEM, "qty": 10, "rate": 200, "warehouse": warehouse}],
		}
	).insert()
	receipt.submit()
	invoice = make_purchase_invoice(receipt.name)
	invoice.items[0].qty = 6
	invoice.insert().submit()
	return receipt.name


def undo_migrations(company: str) -> None:
	"""Put `company` back as periodic: the company defaults its migrations set put back, their
	records gone, perpetual inventory off, and every journal entry of the company cancelled. The
	company's own history has none, so those are the migrations' (also when a record is gone: the
	install cycle test drops the app's tables)."""
	for m in frappe.get_all(MIGRATION, {"company": company}, pluck="name"):
		for default in frappe.get_all(
			"Perpetual Inventory Migration Default", {"parent": m, "action": "Set"}, ["company_field", "current_value"]
		):
			frappe.db.set_value("Company", company, default.company_field, default.current_value)
		# the record goes first: it links the journal entries, which then may be cancelled
		for child in frappe.get_meta(MIGRATION).get_table_fields():
			frappe.db.delete(child.options, {"parent": m, "parenttype": MIGRATION})
		frappe.db.delete(MIGRATION, m)
	for je in frappe.get_all("Journal Entry", {"company": company, "docstatus": 1}, pluck="name"):
		frappe.get_doc("Journal Entry", je).cancel()
	frappe.db.set_value("Company", company, "enable_perpetual_inventory", 0)
	frappe.clear_document_cache("Company", company)
