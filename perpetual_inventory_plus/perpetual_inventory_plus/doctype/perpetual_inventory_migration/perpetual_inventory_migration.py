"""One company's move from periodic to perpetual inventory: the plan is computed on every save
and shown before anything changes; submitting executes it, or approves it for the next
`bench migrate` (see `perpetual_inventory_plus.migration`: `plan.py`, `execute.py`)."""

import frappe
from frappe import _
from frappe.model.document import Document

from perpetual_inventory_plus.migration.execute import chosen_defaults, execute
from perpetual_inventory_plus.migration.plan import compute_plan, nothing_to_do, show_plan, throw_blockers

ON_SUBMIT = "On Submit"


class PerpetualInventoryMigration(Document):
	def validate(self):
		self.fill_from_company()
		self.status = "Draft"
		# The bench command hands in the plan it has just printed, so that it is computed once.
		self.flags.plan = self.flags.plan or compute_plan(
			self.company, self.cutover_date, self.difference_account, chosen_defaults(self)
		)
		show_plan(self, self.flags.plan)

	def fill_from_company(self):
		if not self.cost_center:
			self.cost_center = frappe.get_cached_value("Company", self.company, "cost_center")

	def before_submit(self):
		reason = nothing_to_do(self.company)
		if reason:
			frappe.throw(reason, title=_("Nothing To Do"))
		throw_blockers(self.flags.plan, self.company)

	def on_submit(self):
		if self.execute_on == ON_SUBMIT:
			execute(self, self.flags.plan)
		else:
			self.db_set("status", "Approved")

	def before_cancel(self):
		frappe.throw(
			_("{0} cannot be cancelled: reverse its journal entries and switch perpetual inventory off by hand if you must").format(
				self.name
			)
		)
