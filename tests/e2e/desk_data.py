"""The browser tests' own company and masters, committed because the Desk's web server reads them
from the database. Setup is idempotent; what a test creates in the Desk either carries a unique
name or is cleared here before the next run. Everything belongs to companies of their own, so
the integration tests that run on the same site afterwards never meet it."""

# ruff: noqa: E402  (the layer skips itself before importing frappe)
from .availability import require

require()

import frappe

from ..integration.factory import (
	add_rule,
	enable_app_for,
	ensure_account,
	ensure_company,
	ensure_item,
	ensure_item_group,
	ensure_party,
	seed_002_layout,
)

COMPANY = "PIP Desk Co"
A = "PDC"
# A second company, for the settings page's per-company switches.
SETTINGS_COMPANY = "PIP Desk Settings Co"
ITEM_GROUP = "PIP Desk Metals"
ITEM = "PIP-DESK-RM"
SUPPLIER = "PIP Desk Supplier"
# Marks the rules test_inventory_account_rule.py creates in the Desk, so a rerun starts clean.
DESK_RULE_NOTE = "Created by the browser tests"


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

	for name in frappe.get_all("Inventory Account Rule", {"company": COMPANY, "description": DESK_RULE_NOTE}, pluck="name"):
		frappe.delete_doc("Inventory Account Rule", name)
	data["group rule"] = frappe.db.get_value(
		"Inventory Account Rule",
		{"company": COMPANY, "item_group": ITEM_GROUP, "item": ("is", "not set"), "warehouse": ("is", "not set"), "disabled": 0},
	) or add_rule(COMPANY, data["rule account"], item_group=ITEM_GROUP).name
	frappe.db.commit()
	return data
