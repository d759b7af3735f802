from frappe.model.document import Document


class PerpetualInventoryMigrationWarehouse(Document):
	pass
