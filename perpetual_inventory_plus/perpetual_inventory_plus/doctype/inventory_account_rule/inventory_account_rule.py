import frappe
from frappe import _
from frappe.model.document import Document

from perpetual_inventory_plus.account_facts import rule_from_row
from perpetual_inventory_plus.core.account_resolution import find_conflicts
from perpetual_inventory_plus.inventory_account_validation import validate_inventory_account


class InventoryAccountRule(Document):
	def validate(self):
		if self.item and self.item_group:
			frappe.throw(
				_("Inventory Account Rule {0}: name an item or an item group, not both").format(self.name)
			)
		if not (self.item or self.item_group or self.warehouse):
			frappe.throw(
				_("Inventory Account Rule {0}: name an item, an item group or a warehouse").format(self.name)
			)
		if self.warehouse:
			warehouse_company = frappe.db.get_value("Warehouse", self.warehouse, "company")
			if warehouse_company != self.company:
				frappe.throw(
					_("Inventory Account Rule {0}: warehouse {1} belongs to company {2}, not {3}").format(
						self.name, self.warehouse, warehouse_company, self.company
					)
				)
		validate_inventory_account(self.account, self.company, _("Inventory Account Rule {0}").format(self.name))
		if not self.disabled:
			self.validate_no_tie()

	def validate_no_tie(self):
		others = frappe.get_all(
			"Inventory Account Rule",
			filters={"company": self.company, "disabled": 0, "name": ("!=", self.name)},
			fields=["name", "account", "item", "item_group", "warehouse"],
		)
		me = rule_from_row(self)
		for first, second in find_conflicts([*map(rule_from_row, others), me]):
			if me is first or me is second:
				other = first if second is me else second
				frappe.throw(
					_(
						"Inventory Account Rule {0} ties with {1}: both apply to {2}, so neither is more "
						"specific. Change or disable one of them."
					).format(self.name, other.name, describe_scope(self)),
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
