"""Warehouse hooks: the inventory account a warehouse links must be one the GL can post to, and
"Create Account Under" gives a warehouse an account of its own (seed 003)."""

import frappe
from frappe import _

from perpetual_inventory_plus.accounts.validation import validate_inventory_account
from perpetual_inventory_plus.settings import resolves_inventory_accounts


def validate_warehouse(doc, method=None):
	if doc.get("create_account_under") and not doc.account:
		doc.account = create_warehouse_account(doc)
	if doc.account and (doc.is_new() or doc.has_value_changed("account")):
		if resolves_inventory_accounts(doc.company):
			validate_inventory_account(doc.account, doc.company, _("Warehouse {0}").format(doc.name))


def account_to_be_created(warehouse) -> str:
	"""The account Create Account Under gives a warehouse without one: the ledger named after it
	under the group, the one `create_warehouse_account` reuses or the name it will make."""
	abbr = frappe.get_cached_value("Company", warehouse.company, "abbr")
	return frappe.db.get_value(
		"Account",
		{"account_name": warehouse.warehouse_name, "company": warehouse.company, "parent_account": warehouse.create_account_under},
	) or f"{warehouse.warehouse_name} - {abbr}"


def create_warehouse_account(warehouse) -> str:
	"""A Stock ledger named after the warehouse under its "Create Account Under" group.

	An existing Stock ledger of that name under that group is reused, so that saving again after a
	failed attempt, or re-creating a deleted warehouse, does not try to make a duplicate.
	"""
	context = _("Warehouse {0}").format(warehouse.name)
	parent = frappe.db.get_value(
		"Account", warehouse.create_account_under, ["is_group", "company", "disabled"], as_dict=True
	)
	if not parent or not parent.is_group or parent.company != warehouse.company or parent.disabled:
		frappe.throw(
			_("{0}: Create Account Under must be an enabled group account of company {1}; {2} is not").format(
				context, warehouse.company, frappe.bold(warehouse.create_account_under)
			),
			title=_("Invalid Parent Account"),
		)

	existing = frappe.db.get_value(
		"Account",
		{"account_name": warehouse.warehouse_name, "company": warehouse.company},
		["name", "parent_account", "is_group", "account_type"],
		as_dict=True,
	)
	if existing:
		if existing.parent_account == warehouse.create_account_under and not existing.is_group:
			return existing.name
		frappe.throw(
			_("{0}: cannot create account {1} under {2}: account {3} of that name already exists under {4}").format(
				context,
				frappe.bold(warehouse.warehouse_name),
				warehouse.create_account_under,
				frappe.bold(existing.name),
				existing.parent_account,
			),
			title=_("Account Exists"),
		)

	account = frappe.get_doc(
		{
			"doctype": "Account",
			"account_name": warehouse.warehouse_name,
			"parent_account": warehouse.create_account_under,
			"company": warehouse.company,
			"is_group": 0,
			"account_type": "Stock",
			"account_currency": frappe.get_cached_value("Company", warehouse.company, "default_currency"),
		}
	)
	# Whoever may set up warehouses may give one its account; Account permissions are not theirs.
	account.insert(ignore_permissions=True)
	# Plain text, one element: once (version-16, in CI) the toast's text was read without its bold
	# account name; not reproduced since, with the bold name or without.
	frappe.msgprint(
		_("Account {0} created under {1} and linked to warehouse {2}").format(
			account.name, warehouse.create_account_under, warehouse.name
		),
		alert=True,
	)
	return account.name
