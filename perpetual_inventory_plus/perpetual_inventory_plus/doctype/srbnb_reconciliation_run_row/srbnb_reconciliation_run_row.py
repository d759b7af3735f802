from frappe.model.document import Document


class SRBNBReconciliationRunRow(Document):
	pass
