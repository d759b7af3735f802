"""Loads what the resolver needs about a company from the site, in a fixed number of queries
(never one per row), and turns the core's errors into messages for the user."""

import frappe
from frappe import _

from perpetual_inventory_plus.accounts.core import (
	BRAND_DEFAULT,
	ITEM_DEFAULT,
	ITEM_GROUP_DEFAULT,
	AmbiguousRules,
	CompanyFacts,
	ItemAccount,
	Resolution,
	Rule,
	UnresolvedAccount,
	resolve,
)
from perpetual_inventory_plus.settings import resolves_inventory_accounts
from perpetual_inventory_plus.versions import uses_item_wise_inventory_accounts


def rule_from_row(row) -> Rule:
	return Rule(
		name=row.name,
		account=row.account,
		item=row.item or None,
		item_group=(row.item_group or None) if not row.item else None,
		warehouse=row.warehouse or None,
	)


def load_company_facts(company: str, items=(), with_rules: bool | None = None, item_groups: bool = False) -> CompanyFacts:
	"""Facts for resolving `items` in any warehouse of `company`.

	Rules count only where the company resolves inventory accounts with this app (`with_rules`
	says so instead, for a change of that switch); otherwise the facts give ERPNext's own order
	(on version-16 with the company's switch on, the item-wise account; else warehouse, parent
	warehouse, company default). `item_groups`: the items' group chains even when no rule names a
	group (a change may add one).
	"""
	rules = ()
	if resolves_inventory_accounts(company) if with_rules is None else with_rules:
		rules = tuple(
			map(
				rule_from_row,
				frappe.get_all(
					"Inventory Account Rule",
					filters={"company": company, "disabled": 0},
					fields=["name", "account", "item", "item_group", "warehouse"],
					order_by="name",
				),
			)
		)

	warehouses = frappe.get_all(
		"Warehouse", filters={"company": company}, fields=["name", "parent_warehouse", "account"]
	)
	item_group_of, item_group_parent = {}, {}
	if items and (item_groups or any(r.item_group for r in rules)):
		item_group_of, item_group_parent = _item_group_chains(items)

	return CompanyFacts(
		company=company,
		default_inventory_account=frappe.get_cached_value("Company", company, "default_inventory_account"),
		warehouse_parent={w.name: w.parent_warehouse for w in warehouses},
		warehouse_account={w.name: w.account for w in warehouses},
		item_group_parent=item_group_parent,
		item_account=_item_wise_accounts(company, items) if uses_item_wise_inventory_accounts(company) else {},
		item_group_of=item_group_of,
		rules=rules,
	)


def _item_group_chains(items):
	"""Each item's group, and the parent of every group on those groups' paths to the root."""
	rows = frappe.db.sql(
		"""
		select item.name as item, item.item_group, grp.name as grp, grp.parent_item_group as parent
		from `tabItem` item
		join `tabItem Group` own on own.name = item.item_group
		join `tabItem Group` grp on grp.lft <= own.lft and grp.rgt >= own.rgt
		where item.name in %(items)s
		""",
		{"items": tuple(set(items))},
		as_dict=True,
	)
	return {r.item: r.item_group for r in rows}, {r.grp: r.parent for r in rows}


def item_group_parents(groups) -> dict:
	"""The parent of every group on the paths of `groups` to the root."""
	rows = frappe.db.sql(
		"""
		select grp.name as grp, grp.parent_item_group as parent
		from `tabItem Group` own
		join `tabItem Group` grp on grp.lft <= own.lft and grp.rgt >= own.rgt
		where own.name in %(groups)s
		""",
		{"groups": tuple(set(groups))},
		as_dict=True,
	)
	return {r.grp: r.parent for r in rows}


def _item_wise_accounts(company, items) -> dict[str, ItemAccount]:
	"""version-16's item-wise inventory accounts of `items`, as ERPNext's
	`get_item_wise_inventory_account_map` finds them: the item's Item Default for the company, else
	its item group's, else its brand's (each an `Item Default` row), in one query."""
	if not items:
		return {}
	found = {}
	for row in frappe.db.sql(
		"""
		select item.name as item, item.item_group, item.brand,
			own.default_inventory_account as own, grp.default_inventory_account as grp,
			brand.default_inventory_account as brand_account
		from `tabItem` item
		left join `tabItem Default` own on own.parent = item.name and own.parenttype = 'Item'
			and own.company = %(company)s
		left join `tabItem Default` grp on grp.parent = item.item_group and grp.parenttype = 'Item Group'
			and grp.company = %(company)s
		left join `tabItem Default` brand on brand.parent = item.brand and brand.parenttype = 'Brand'
			and brand.company = %(company)s
		where item.name in %(items)s
		""",
		{"company": company, "items": tuple(set(items))},
		as_dict=True,
	):
		for step, subject, account in (
			(ITEM_DEFAULT, row.item, row.own),
			(ITEM_GROUP_DEFAULT, row.item_group, row.grp),
			(BRAND_DEFAULT, row.brand, row.brand_account),
		):
			if account:
				found[row.item] = ItemAccount(step, subject, account)
				break
	return found


def resolve_for_user(facts: CompanyFacts, item: str, warehouse: str, context: str) -> Resolution:
	"""`resolve`, with its errors as a message naming `context` (document and row)."""
	try:
		return resolve(facts, item, warehouse)
	except UnresolvedAccount:
		frappe.throw(
			_(
				"{0}: no inventory account for item {1} in warehouse {2} of company {3}. Set an account "
				"on the warehouse or a parent warehouse, a Default Inventory Account on the company, or "
				"an Inventory Account Rule."
			).format(context, frappe.bold(item), frappe.bold(warehouse), frappe.bold(facts.company)),
			title=_("Inventory Account Missing"),
		)
	except AmbiguousRules as e:
		frappe.throw(
			_(
				"{0}: Inventory Account Rules {1} all match item {2} in warehouse {3} and none is more "
				"specific. Disable one of them or add a more specific rule."
			).format(context, ", ".join(sorted(r.name for r in e.rules)), frappe.bold(item), frappe.bold(warehouse)),
			title=_("Tying Inventory Account Rules"),
		)
