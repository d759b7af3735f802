"""version-16's item-wise inventory accounts (erpnext PR #50193) beside the app's rules: without
the app ERPNext posts each item to its item's, item group's or brand's account; with the app on,
rules win, then those accounts, then the warehouse chain; converting them to rules posts the same."""

import frappe
import pytest

from perpetual_inventory_plus.accounts.item_wise import convert_item_wise_accounts
from perpetual_inventory_plus.accounts.trace import explain_document
from perpetual_inventory_plus.versions import company_has_field

from .factory import add_rule, enable_app_for, ensure_account, ensure_company, ensure_item, ensure_item_group, seed_002_layout
from .stock_documents import SUPPLIER, gl_by_account

COMPANY = "PIP Item-wise Co"
A = "PIW"

def acc(name):
	return f"{name} - {A}"


def set_inventory_default(doctype, name, account, warehouse):
	doc = frappe.get_doc(doctype, name)
	table = {"Item": "item_defaults", "Item Group": "item_group_defaults", "Brand": "brand_defaults"}[doctype]
	row = next((r for r in doc.get(table) if r.company == COMPANY), None) or doc.append(table, {"company": COMPANY})
	row.default_inventory_account = account
	row.default_warehouse = warehouse  # else the user's default warehouse, of another company
	doc.save()


@pytest.fixture(scope="module")
def layout(site):
	if not company_has_field("enable_item_wise_inventory_account"):
		pytest.skip("this ERPNext release has no item-wise inventory accounts (version-16 has)")
	ensure_company(COMPANY, A)
	# ERPNext allows the switch only while the company has no stock; every test rolls its stock back.
	frappe.db.set_value("Company", COMPANY, "enable_item_wise_inventory_account", 1)
	layout = seed_002_layout(COMPANY, stores_is_group=0)
	ensure_item_group("PIP Raw Material", is_group=1)
	ensure_item_group("PIP Metals", parent="PIP Raw Material")
	ensure_item_group("PIP Products")
	ensure_item("PIP-RM0001", "PIP Metals")
	ensure_item("PIP-DESKTOP", "PIP Products")
	layout["metals"] = ensure_account(COMPANY, "Metals Item-wise", acc("Stock Assets"))
	layout["desktop"] = ensure_account(COMPANY, "Desktop Item-wise", acc("Stock Assets"))
	layout["rule account"] = ensure_account(COMPANY, "Raw Material Stock", acc("Stock Assets"))
	set_inventory_default("Item Group", "PIP Metals", layout["metals"], layout["Stores"])
	set_inventory_default("Item", "PIP-DESKTOP", layout["desktop"], layout["Stores"])
	frappe.db.commit()
	return layout


def receive(layout):
	doc = frappe.get_doc(
		{
			"doctype": "Purchase Receipt",
			"company": COMPANY,
			"supplier": SUPPLIER,
			"items": [
				{"item_code": "PIP-RM0001", "qty": 10, "rate": 100, "warehouse": layout["Stores"]},
				{"item_code": "PIP-DESKTOP", "qty": 5, "rate": 50, "warehouse": layout["Stores"]},
			],
		}
	).insert()
	doc.submit()
	return doc


def item_wise_gl(layout):
	"""A receipt's GL as the item-wise accounts post it: RM-0001 by its group, the desktop by itself."""
	return {layout["metals"]: 1000, layout["desktop"]: 250, acc("Stock Received But Not Billed"): -1250}


def test_without_the_app_erpnext_posts_to_the_item_wise_accounts(layout):
	assert gl_by_account("Purchase Receipt", receive(layout).name) == item_wise_gl(layout)


def test_with_the_app_and_no_rule_the_item_wise_accounts_still_decide(layout):
	enable_app_for(COMPANY)
	assert gl_by_account("Purchase Receipt", receive(layout).name) == item_wise_gl(layout)


def test_a_rule_wins_over_the_item_wise_account_and_the_trace_says_so(layout):
	enable_app_for(COMPANY)
	add_rule(COMPANY, layout["rule account"], item_group="PIP Raw Material")
	receipt = receive(layout)
	assert gl_by_account("Purchase Receipt", receipt.name) == {
		layout["rule account"]: 1000,
		layout["desktop"]: 250,
		acc("Stock Received But Not Billed"): -1250,
	}
	rows = {row["item_code"]: row for row in explain_document("Purchase Receipt", receipt.name)["rows"]}
	assert [(s["step"], s["account"], s["chosen"]) for s in rows["PIP-RM0001"]["trace"]] == [
		("Rule", layout["rule account"], True),
		("Item Group Default", layout["metals"], False),
	]
	assert (rows["PIP-DESKTOP"]["source"], rows["PIP-DESKTOP"]["subject"]) == ("Item Default", "PIP-DESKTOP")

	receipt.cancel()
	assert gl_by_account("Purchase Receipt", receipt.name) == {}


def test_converting_the_item_wise_accounts_to_rules_posts_the_same_gl(layout):
	enable_app_for(COMPANY)
	before = gl_by_account("Purchase Receipt", receive(layout).name)

	created = convert_item_wise_accounts(COMPANY)
	rules = frappe.get_all(
		"Inventory Account Rule", filters={"name": ("in", created)}, fields=["item", "item_group", "account"]
	)
	assert sorted((r.item or "", r.item_group or "", r.account) for r in rules) == [
		("", "PIP Metals", layout["metals"]),
		("PIP-DESKTOP", "", layout["desktop"]),
	]
	assert convert_item_wise_accounts(COMPANY) == []  # a second run finds every rule there

	# The rules alone now carry the mapping: with the company's switch off the GL is the same.
	frappe.db.set_value("Company", COMPANY, "enable_item_wise_inventory_account", 0)
	frappe.clear_document_cache("Company", COMPANY)
	assert gl_by_account("Purchase Receipt", receive(layout).name) == before
