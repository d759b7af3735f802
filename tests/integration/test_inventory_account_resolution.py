"""Issue 2 on a real site: seed 002's layout, rules, account validation, Create Account Under,
and the "Why this account" trace."""

import frappe
import pytest

from perpetual_inventory_plus.accounts.trace import explain_document, explain_warehouse

from .factory import (
	enable_app_for,
	ensure_account,
	ensure_company,
	ensure_item,
	ensure_item_group,
	ensure_warehouse,
	seed_002_layout,
)

COMPANY = "PIP Resolver Co"
OTHER_COMPANY = "PIP Other Co"


@pytest.fixture(scope="module")
def layout(site):
	ensure_company(COMPANY, "PRC")
	layout = seed_002_layout(COMPANY)
	ensure_item_group("PIP Raw Material", is_group=1)
	ensure_item_group("PIP Metals", parent="PIP Raw Material")
	ensure_item("PIP-RM0001", "PIP Metals")
	ensure_item("PIP-DESKTOP", "Products" if frappe.db.exists("Item Group", "Products") else "All Item Groups")
	layout["rule account"] = ensure_account(COMPANY, "Raw Material Stock", "Stock Assets - PRC")
	layout["item account"] = ensure_account(COMPANY, "RM0001 Stock", "Stock Assets - PRC")
	frappe.db.commit()
	return layout


def rule(account, **scope):
	"""An unsaved rule, so that tests can watch it being refused."""
	return frappe.get_doc({"doctype": "Inventory Account Rule", "company": COMPANY, "account": account, **scope})


def trace_of(warehouse, item=None):
	row = explain_warehouse(warehouse, item)["rows"][0]
	return row, [(s["step"], s["subject"], s["account"], s["chosen"]) for s in row["trace"]]


def test_seed_002_warehouse_parent_and_company_default(layout):
	enable_app_for(COMPANY)
	for name in ("Work In Progress", "Finished Goods"):
		row, _ = trace_of(layout[name], "PIP-RM0001")
		assert (row["account"], row["source"]) == (f"{name} - PRC", "Warehouse")

	row, steps = trace_of(layout["Stores Child"], "PIP-RM0001")
	assert (row["account"], row["source"], row["subject"]) == ("Stores - PRC", "Parent Warehouse", layout["Stores"])
	assert steps == [
		("Warehouse", layout["Stores Child"], None, False),
		("Parent Warehouse", layout["Stores"], "Stores - PRC", True),
	]

	default = frappe.get_cached_value("Company", COMPANY, "default_inventory_account")
	assert default
	row, steps = trace_of(layout["Unlinked"], "PIP-RM0001")
	assert (row["account"], row["source"], row["subject"]) == (default, "Company Default", COMPANY)
	assert [s[0] for s in steps] == ["Warehouse", "Parent Warehouse", "Company Default"]


def test_no_account_anywhere_names_warehouse_and_company(layout):
	frappe.db.set_value("Company", COMPANY, "default_inventory_account", None)
	frappe.clear_document_cache("Company", COMPANY)
	row, _ = trace_of(layout["Unlinked"], "PIP-RM0001")
	assert layout["Unlinked"] in row["error"] and COMPANY in row["error"] and "PIP-RM0001" in row["error"]
	assert "account" not in row


def test_group_rule_in_stores_subtree_beats_warehouse_and_item_rule_beats_it(layout):
	enable_app_for(COMPANY)
	group_rule = rule(layout["rule account"], item_group="PIP Raw Material", warehouse=layout["Stores"]).insert()

	row, steps = trace_of(layout["Stores Child"], "PIP-RM0001")
	assert (row["account"], row["source"], row["subject"]) == (layout["rule account"], "Rule", group_rule.name)
	assert steps == [
		("Rule", group_rule.name, layout["rule account"], True),
		("Warehouse", layout["Stores Child"], None, False),
		("Parent Warehouse", layout["Stores"], "Stores - PRC", False),
	]
	# outside the rule's warehouse subtree, the warehouse account still applies
	assert trace_of(layout["Finished Goods"], "PIP-RM0001")[0]["account"] == "Finished Goods - PRC"

	item_rule = rule(layout["item account"], item="PIP-RM0001").insert()
	row, steps = trace_of(layout["Stores Child"], "PIP-RM0001")
	assert (row["account"], row["subject"]) == (layout["item account"], item_rule.name)
	assert [(s[1], s[3]) for s in steps if s[0] == "Rule"] == sorted(
		[(group_rule.name, False), (item_rule.name, True)]
	)


def test_rules_are_ignored_where_the_app_is_off_for_the_company(layout):
	rule(layout["rule account"], item_group="PIP Raw Material", warehouse=layout["Stores"]).insert()
	result = explain_warehouse(layout["Stores Child"], "PIP-RM0001")
	assert not result["rules_apply"]
	assert result["rows"][0]["account"] == "Stores - PRC"


def test_explain_document_traces_every_stock_row(layout):
	enable_app_for(COMPANY)
	group_rule = rule(layout["rule account"], item_group="PIP Raw Material").insert()
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Transfer",
			"company": COMPANY,
			"items": [
				{
					"item_code": "PIP-RM0001",
					"qty": 1,
					"s_warehouse": layout["Finished Goods"],
					"t_warehouse": layout["Work In Progress"],
					"basic_rate": 10,
					"allow_zero_valuation_rate": 1,
				},
				{
					"item_code": "PIP-DESKTOP",
					"qty": 1,
					"s_warehouse": layout["Finished Goods"],
					"t_warehouse": layout["Stores Child"],
					"basic_rate": 10,
					"allow_zero_valuation_rate": 1,
				},
			],
		}
	).insert()
	rows = explain_document("Stock Entry", entry.name)["rows"]
	assert [(r["idx"], r["warehouse_field"], r["account"], r["source"]) for r in rows] == [
		(1, "s_warehouse", layout["rule account"], "Rule"),
		(1, "t_warehouse", layout["rule account"], "Rule"),
		(2, "s_warehouse", "Finished Goods - PRC", "Warehouse"),
		(2, "t_warehouse", "Stores - PRC", "Parent Warehouse"),
	]
	assert rows[0]["subject"] == group_rule.name


def test_explain_needs_read_permission(layout):
	frappe.set_user("Guest")
	with pytest.raises(frappe.PermissionError):
		explain_warehouse(layout["Stores"])


@pytest.fixture(scope="module")
def other_company_account(site):
	ensure_company(OTHER_COMPANY, "POC")
	account = ensure_account(OTHER_COMPANY, "Other Stock", "Stock Assets - POC")
	frappe.db.commit()
	return account


@pytest.mark.parametrize(
	"make_account, message",
	[
		(lambda: "Stock Assets - PRC", "is a group account"),
		(lambda: ensure_account(COMPANY, "PIP Not Stock", "Current Assets - PRC", account_type=""), "account type"),
		(lambda: "OTHER", "belongs to company"),
		(
			lambda: frappe.db.set_value("Account", ensure_account(COMPANY, "PIP Disabled Stock", "Stock Assets - PRC"), "disabled", 1)
			or "PIP Disabled Stock - PRC",
			"is disabled",
		),
	],
	ids=["group", "not-stock", "other-company", "disabled"],
)
def test_bad_accounts_are_refused_on_rules_and_warehouses(layout, other_company_account, make_account, message):
	enable_app_for(COMPANY)
	account = make_account()
	account = other_company_account if account == "OTHER" else account
	with pytest.raises(frappe.ValidationError, match=message) as e:
		rule(account, warehouse=layout["Finished Goods"]).insert()
	assert account in str(e.value) and "Inventory Account Rule" in str(e.value)

	warehouse = frappe.get_doc("Warehouse", layout["Finished Goods"])
	warehouse.account = account
	with pytest.raises(frappe.ValidationError, match=message) as e:
		warehouse.save()
	assert account in str(e.value) and layout["Finished Goods"] in str(e.value)


def test_tying_rules_are_refused_naming_both(layout):
	first = rule(layout["rule account"], item_group="PIP Metals", warehouse=layout["Stores"]).insert()
	second = rule(layout["item account"], item_group="PIP Metals", warehouse=layout["Stores"])
	with pytest.raises(frappe.ValidationError) as e:
		second.insert()
	assert first.name in str(e.value) and second.name in str(e.value)
	# a disabled rule ties with nothing
	second.disabled = 1
	second.insert()


def test_create_account_under_makes_links_and_survives_rename(layout):
	enable_app_for(COMPANY)
	warehouse = frappe.get_doc(
		{
			"doctype": "Warehouse",
			"warehouse_name": "PIP Fixed Asset Store",
			"company": COMPANY,
			"parent_warehouse": "All Warehouses - PRC",
			"create_account_under": "Stock Assets - PRC",
		}
	).insert()
	account = frappe.get_doc("Account", warehouse.account)
	assert (account.account_name, account.parent_account) == ("PIP Fixed Asset Store", "Stock Assets - PRC")
	assert (account.account_type, account.is_group, account.company) == ("Stock", 0, COMPANY)
	assert account.account_currency == frappe.get_cached_value("Company", COMPANY, "default_currency")

	# ERPNext v15 offers no rename for warehouses in the Desk; a forced rename is the only kind.
	renamed = frappe.rename_doc("Warehouse", warehouse.name, "PIP Fixed Asset Store Renamed - PRC", force=True)
	assert frappe.db.get_value("Warehouse", renamed, "account") == account.name
	assert explain_warehouse(renamed, "PIP-RM0001")["rows"][0]["account"] == account.name


def test_create_account_under_set_later_and_refuses_a_ledger_parent(layout):
	name = ensure_warehouse(COMPANY, "PIP Later Bay")
	warehouse = frappe.get_doc("Warehouse", name)
	warehouse.create_account_under = "Stock In Hand - PRC"
	with pytest.raises(frappe.ValidationError, match="group account"):
		warehouse.save()
	warehouse = frappe.get_doc("Warehouse", name)
	warehouse.create_account_under = "Stock Assets - PRC"
	warehouse.save()
	assert warehouse.account == "PIP Later Bay - PRC"
	assert frappe.db.get_value("Account", warehouse.account, "parent_account") == "Stock Assets - PRC"
