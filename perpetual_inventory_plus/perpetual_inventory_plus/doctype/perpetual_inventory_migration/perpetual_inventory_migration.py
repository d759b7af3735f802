"""One company's move from periodic to perpetual inventory: the plan is computed on every save
and shown before anything changes; submitting queues its execute in the background, or approves
it for the next `bench migrate` (see `perpetual_inventory_plus.migration`: `plan.py`,
`execute.py`, `job.py`).

Its changes are not tracked (no Version documents): each save replaces the plan's rows, a row per
open receipt and journal line, and at 10,000 open receipts the Version of a submit outgrew
MariaDB's 16 MB packet (benchmarks/migration.py). Who submitted it, when it executed and what it
did stay on the document itself."""

import frappe
from frappe import _
from frappe.model.document import Document

from perpetual_inventory_plus.migration.execute import chosen_defaults
from perpetual_inventory_plus.migration.job import APPROVED, QUEUED, enqueue, refuse_second
from perpetual_inventory_plus.migration.plan import nothing_to_do, preview_plan, show_plan, throw_blockers

ON_SUBMIT = "On Submit"


class PerpetualInventoryMigration(Document):
	def validate(self):
		self.fill_from_company()
		self.status = "Draft"
		# The bench command hands in the plan it has just printed, so that it is computed once.
		self.flags.plan = self.flags.plan or preview_plan(
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
		refuse_second(self)

	def on_submit(self):
		if self.execute_on != ON_SUBMIT:
			self.db_set("status", APPROVED)
		elif self.flags.run_by_caller:
			# The bench command runs the execute itself, in its own process, with a progress bar.
			self.db_set("status", QUEUED)
		else:
			enqueue(self)

	def before_cancel(self):
		frappe.throw(
			_("{0} cannot be cancelled: reverse its journal entries and switch perpetual inventory off by hand if you must").format(
				self.name
			)
		)
