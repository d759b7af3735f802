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


def company_settings(company: str):
	"""The settings row of a company, or None when the app is not turned on for it."""
	settings = frappe.get_cached_doc("Perpetual Inventory Settings")
	return next((row for row in settings.companies if row.company == company), None)


def resolves_inventory_accounts(company: str) -> bool:
	row = company_settings(company)
	return bool(row and row.resolve_inventory_accounts)
