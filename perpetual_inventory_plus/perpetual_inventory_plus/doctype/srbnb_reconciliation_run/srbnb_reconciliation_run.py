import frappe
from frappe import _
from frappe.model.document import Document

from perpetual_inventory_plus.perpetual_inventory_plus.doctype.perpetual_inventory_settings.perpetual_inventory_settings import (
	company_settings,
)
from perpetual_inventory_plus.srbnb_reconciliation import check_company_access, reconcile_company


class SRBNBReconciliationRun(Document):
	"""Saving a new run runs the reconciliation; a stored run is a record and is not edited."""

	def before_insert(self):
		check_company_access(self.company)
		account, result = reconcile_company(self.company, self.as_of_date)
		settings = company_settings(self.company)
		self.srbnb_account = account
		self.tolerance = settings.srbnb_tolerance if settings else 0
		self.total_open = result.total_open
		self.gl_balance = result.gl_balance
		self.explained_difference = result.explained_difference
		self.unexplained_remainder = result.unexplained_remainder
		self.over_tolerance = abs(result.unexplained_remainder) > (self.tolerance or 0)
		self.rows = []
		for line in result.lines:
			if line.difference:
				self.append(
					"rows",
					{
						"voucher_type": line.voucher_type,
						"voucher_no": line.voucher_no,
						"detail": line.detail,
						"posting_date": line.posting_date,
						"supplier": line.supplier,
						"item_code": line.item_code,
						"open_amount": line.open_amount,
						"gl_balance": line.gl_balance,
						"difference": line.difference,
						"reason": ", ".join(line.reasons),
						"unexplained": 0 if line.explained else 1,
					},
				)

	def validate(self):
		if not self.is_new():
			frappe.throw(_("SRBNB Reconciliation Run {0} is a stored result; start a new run instead").format(self.name))
