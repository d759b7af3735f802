"""Companies and masters the integration tests share: created once if missing, and committed,
so that tests stay fast and a second run finds them ready."""

import frappe


def ensure_company(name: str, abbr: str, perpetual: int = 1) -> str:
	if not frappe.db.exists("Company", name):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": abbr,
				"default_currency": "USD",
				"country": "United States",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
				"enable_perpetual_inventory": perpetual,
			}
		).insert()
		frappe.db.commit()
	return name


def abbr(company: str) -> str:
	return frappe.get_cached_value("Company", company, "abbr")


def ensure_account(company: str, account_name: str, parent: str, account_type: str = "Stock", is_group=0) -> str:
	name = f"{account_name} - {abbr(company)}"
	if not frappe.db.exists("Account", name):
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": account_name,
				"parent_account": parent,
				"company": company,
				"account_type": account_type,
				"is_group": is_group,
			}
		).insert()
	return name


def ensure_warehouse(company: str, warehouse_name: str, parent: str | None = None, account=None, is_group=0, **fields):
	name = f"{warehouse_name} - {abbr(company)}"
	if frappe.db.exists("Warehouse", name):
		doc = frappe.get_doc("Warehouse", name)
	else:
		doc = frappe.new_doc("Warehouse")
		doc.warehouse_name = warehouse_name
		doc.company = company
	doc.parent_warehouse = parent or f"All Warehouses - {abbr(company)}"
	doc.is_group = is_group
	if account or not fields.get("create_account_under"):  # keep the account Create Account Under made
		doc.account = account
	doc.update(fields)
	doc.save()
	return doc.name


def ensure_item_group(name: str, parent: str = "All Item Groups", is_group: int = 0) -> str:
	if not frappe.db.exists("Item Group", name):
		frappe.get_doc(
			{"doctype": "Item Group", "item_group_name": name, "parent_item_group": parent, "is_group": is_group}
		).insert()
	return name


def ensure_item(item_code: str, item_group: str, valuation_method: str = "FIFO", is_stock_item: int = 1) -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_code,
				"item_group": item_group,
				"stock_uom": "Nos",
				"is_stock_item": is_stock_item,
				"valuation_method": valuation_method,
			}
		).insert()
	return item_code


def enable_app_for(company: str, **switches) -> None:
	"""Turn the app on for `company` in Perpetual Inventory Settings (inside the test's transaction)."""
	settings = frappe.get_single("Perpetual Inventory Settings")
	row = next((r for r in settings.companies if r.company == company), None) or settings.append(
		"companies", {"company": company}
	)
	row.update({"resolve_inventory_accounts": 1, **switches})
	settings.save()


def add_rule(company: str, account: str, **scope):
	"""An Inventory Account Rule; `scope` names item, item_group and/or warehouse."""
	return frappe.get_doc(
		{"doctype": "Inventory Account Rule", "company": company, "account": account, **scope}
	).insert()


def reclassify_rule(company: str, action: str, rule: str | None = None, **fields) -> str:
	"""An Inventory Account Rule added ("Add", with account and scope as rule_account, rule_item,
	rule_item_group, rule_warehouse) or changed the README way, with its Inventory Reclassification,
	so that stock the company already holds moves with it; the rule's name."""
	doc = frappe.get_doc(
		{"doctype": "Inventory Reclassification", "company": company, "change": "Inventory Account Rule",
			"rule_action": action, "rule": rule, **fields}
	).insert()
	doc.submit()
	return doc.rule


def seed_002_layout(company: str, stores_is_group: int = 1) -> dict:
	"""Seed 002's warehouses, each linked to its own account under Stock Assets, plus a child of
	Stores without an account (when Stores is a group) and a warehouse with no account anywhere up
	its tree."""
	a = abbr(company)
	stock_assets = f"Stock Assets - {a}"
	layout = {}
	for name in ("Stores", "Work In Progress", "Finished Goods"):
		account = ensure_account(company, name, stock_assets)
		layout[name] = ensure_warehouse(company, name, account=account, is_group=stores_is_group if name == "Stores" else 0)
	if stores_is_group:
		layout["Stores Child"] = ensure_warehouse(company, "Stores Bin A", parent=layout["Stores"])
	layout["Unlinked"] = ensure_warehouse(company, "Unlinked Bay")
	frappe.db.commit()
	return layout


def ensure_party(doctype: str, name: str) -> str:
	if not frappe.db.exists(doctype, name):
		group = {"Supplier": ("supplier_group", "All Supplier Groups"), "Customer": ("customer_group", "All Customer Groups")}
		field, value = group[doctype]
		frappe.get_doc({"doctype": doctype, f"{doctype.lower()}_name": name, field: value}).insert()
	return name


def ensure_user(email: str, roles) -> str:
	"""A user holding `roles` (besides any it had), inside the test's transaction."""
	if not frappe.db.exists("User", email):
		frappe.get_doc({"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}).insert()
	frappe.get_doc("User", email).add_roles(*roles)
	return email


def submit_and_execute(migration):
	"""Submit a Perpetual Inventory Migration and run its execute here, as the worker does once
	the submit is committed; the job's own commits stay inside the test's transaction."""
	from unittest.mock import patch

	from perpetual_inventory_plus.migration.job import run

	with patch.object(frappe.db, "commit", lambda *a, **k: None):
		migration.submit()
		run(migration.name)
	migration.reload()
	return migration
