from frappe.model.document import Document


class PerpetualInventoryMigrationDefault(Document):
	pass
