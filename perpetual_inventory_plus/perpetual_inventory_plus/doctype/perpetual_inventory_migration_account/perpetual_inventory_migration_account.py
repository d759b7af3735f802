from frappe.model.document import Document


class PerpetualInventoryMigrationAccount(Document):
	pass
