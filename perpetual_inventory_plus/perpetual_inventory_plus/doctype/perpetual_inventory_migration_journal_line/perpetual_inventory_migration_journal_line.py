from frappe.model.document import Document


class PerpetualInventoryMigrationJournalLine(Document):
	pass
