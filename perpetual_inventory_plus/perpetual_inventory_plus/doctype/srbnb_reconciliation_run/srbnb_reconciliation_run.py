import frappe
from frappe import _
from frappe.model.document import Document

from perpetual_inventory_plus.srbnb.runs import fill_run


class SRBNBReconciliationRun(Document):
	"""Saving a new run runs the reconciliation; a stored run is a record and is not edited."""

	def before_insert(self):
		fill_run(self)

	def validate(self):
		if not self.is_new():
			frappe.throw(_("SRBNB Reconciliation Run {0} is a stored result; start a new run instead").format(self.name))
