from frappe.model.document import Document


class PerpetualInventoryCompany(Document):
	pass
