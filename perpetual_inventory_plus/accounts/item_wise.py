"""version-16's item-wise inventory accounts (Item Default, Item Group Default and Brand Default
rows' Default Inventory Account) turned into Inventory Account Rules, so that a company moves to
the app's rules without retyping its mapping and posts as before (`core.rules_from_item_wise_accounts`)."""

import frappe
from frappe import _

from perpetual_inventory_plus.accounts.core import rules_from_item_wise_accounts
from perpetual_inventory_plus.accounts.facts import rule_from_row
from perpetual_inventory_plus.versions import company_has_field

RULE = "Inventory Account Rule"


@frappe.whitelist()
def convert_item_wise_accounts(company: str) -> list[str]:
	"""Create the rules for `company`'s item-wise inventory accounts; the names of those created.
	A rule already there for the same item or item group with another account stops the whole
	conversion, and nothing is created."""
	frappe.has_permission("Company", "read", company, throw=True)
	frappe.has_permission(RULE, "create", throw=True)
	if not company_has_field("enable_item_wise_inventory_account"):
		frappe.throw(_("This ERPNext release has no item-wise inventory accounts to convert"))

	accounts = {"Item": {}, "Item Group": {}, "Brand": {}}
	for row in frappe.db.sql(
		"""
		select parenttype, parent, default_inventory_account from `tabItem Default`
		where company = %s and parenttype in ('Item', 'Item Group', 'Brand')
			and ifnull(default_inventory_account, '') != ''
		""",
		company,
		as_dict=True,
	):
		accounts[row.parenttype][row.parent] = row.default_inventory_account
	items_of_brands = {}
	if accounts["Brand"]:
		items_of_brands = {
			d.name: (d.brand, d.item_group)
			for d in frappe.get_all(
				"Item", filters={"brand": ("in", list(accounts["Brand"]))}, fields=["name", "brand", "item_group"]
			)
		}
	existing = frappe.get_all(
		RULE,
		filters={"company": company, "disabled": 0, "warehouse": ("is", "not set")},
		fields=["name", "account", "item", "item_group", "warehouse"],
	)
	rules, conflicts = rules_from_item_wise_accounts(
		accounts["Item"], accounts["Item Group"], accounts["Brand"], items_of_brands, map(rule_from_row, existing)
	)
	if conflicts:
		frappe.throw(
			"<br>".join(
				_("Inventory Account Rule {0} sends {1} to {2}; its item-wise inventory account is {3}").format(
					old.name, old.item or old.item_group, frappe.bold(old.account), frappe.bold(new.account)
				)
				for old, new in conflicts
			),
			title=_("Rules Differ From the Item-wise Accounts"),
		)
	created = []
	for rule in rules:
		doc = frappe.get_doc(
			{
				"doctype": RULE,
				"company": company,
				"account": rule.account,
				"item": rule.item,
				"item_group": rule.item_group,
				"description": _("Converted from the item-wise inventory account of {0}").format(
					rule.item or rule.item_group
				),
			}
		).insert()
		created.append(doc.name)
	return created
