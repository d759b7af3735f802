import frappe
from frappe import _
from frappe.model.document import Document


class PerpetualInventorySettings(Document):
	def validate(self):
		seen = set()
		for row in self.companies:
			if row.company in seen:
				frappe.throw(
					_("Row {0}: company {1} is listed more than once").format(row.idx, frappe.bold(row.company))
				)
			seen.add(row.company)
