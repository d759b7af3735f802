from frappe.model.document import Document


class InventoryReclassificationMove(Document):
	pass
