from frappe.model.document import Document


class PerpetualInventoryMigrationReceipt(Document):
	pass
