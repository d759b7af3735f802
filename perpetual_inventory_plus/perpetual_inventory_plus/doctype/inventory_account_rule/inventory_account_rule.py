from frappe.model.document import Document

from perpetual_inventory_plus.accounts.rules import validate_rule


class InventoryAccountRule(Document):
	def validate(self):
		validate_rule(self)
