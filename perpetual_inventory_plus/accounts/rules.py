"""Inventory Account Rule: what a rule may name, and that no two rules tie."""

import frappe
from frappe import _

from perpetual_inventory_plus.accounts.core import find_conflicts
from perpetual_inventory_plus.accounts.facts import rule_from_row
from perpetual_inventory_plus.accounts.validation import validate_inventory_account


def validate_rule(rule):
	"""The rule's own fields, its account, and (when enabled) no tie with another rule."""
	if rule.item and rule.item_group:
		frappe.throw(
			_("Inventory Account Rule {0}: name an item or an item group, not both").format(rule.name)
		)
	if not (rule.item or rule.item_group or rule.warehouse):
		frappe.throw(
			_("Inventory Account Rule {0}: name an item, an item group or a warehouse").format(rule.name)
		)
	if rule.warehouse:
		warehouse_company = frappe.db.get_value("Warehouse", rule.warehouse, "company")
		if warehouse_company != rule.company:
			frappe.throw(
				_("Inventory Account Rule {0}: warehouse {1} belongs to company {2}, not {3}").format(
					rule.name, rule.warehouse, warehouse_company, rule.company
				)
			)
	validate_inventory_account(rule.account, rule.company, _("Inventory Account Rule {0}").format(rule.name))
	if not rule.disabled:
		validate_no_tie(rule)


def validate_no_tie(rule):
	others = frappe.get_all(
		"Inventory Account Rule",
		filters={"company": rule.company, "disabled": 0, "name": ("!=", rule.name)},
		fields=["name", "account", "item", "item_group", "warehouse"],
	)
	me = rule_from_row(rule)
	for first, second in find_conflicts([*map(rule_from_row, others), me]):
		if me is first or me is second:
			other = first if second is me else second
			frappe.throw(
				_(
					"Inventory Account Rule {0} ties with {1}: both apply to {2}, so neither is more "
					"specific. Change or disable one of them."
				).format(rule.name, other.name, describe_scope(rule)),
				title=_("Tying Inventory Account Rules"),
			)


def describe_scope(rule) -> str:
	parts = []
	if rule.item:
		parts.append(_("item {0}").format(rule.item))
	elif rule.item_group:
		parts.append(_("item group {0}").format(rule.item_group))
	else:
		parts.append(_("any item"))
	parts.append(_("warehouse {0}").format(rule.warehouse) if rule.warehouse else _("any warehouse"))
	return _(" in ").join(parts)
