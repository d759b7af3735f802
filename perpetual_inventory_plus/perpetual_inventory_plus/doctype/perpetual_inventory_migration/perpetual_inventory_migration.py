"""One company's move from periodic to perpetual inventory: the plan is computed on every save
and shown before anything changes; submitting executes it, or approves it for the next
`bench migrate` (see `perpetual_inventory_plus.migration`)."""

import frappe
from frappe import _
from frappe.model.document import Document

from perpetual_inventory_plus import migration

ON_SUBMIT = "On Submit"


class PerpetualInventoryMigration(Document):
	def validate(self):
		self.fill_from_company()
		self.status = "Draft"
		# The bench command hands in the plan it has just printed, so that it is computed once.
		self.flags.plan = self.flags.plan or migration.compute_plan(
			self.company, self.cutover_date, self.difference_account, migration.chosen_defaults(self)
		)
		self.show_plan(self.flags.plan)

	def fill_from_company(self):
		if not self.cost_center:
			self.cost_center = frappe.get_cached_value("Company", self.company, "cost_center")

	def before_submit(self):
		reason = migration.nothing_to_do(self.company)
		if reason:
			frappe.throw(reason, title=_("Nothing To Do"))
		migration.throw_blockers(self.flags.plan, self.company)

	def on_submit(self):
		if self.execute_on == ON_SUBMIT:
			migration.execute(self, self.flags.plan)
		else:
			self.db_set("status", "Approved")

	def before_cancel(self):
		frappe.throw(
			_("{0} cannot be cancelled: reverse its journal entries and switch perpetual inventory off by hand if you must").format(
				self.name
			)
		)

	def show_plan(self, plan):
		self.difference_account = plan.expense_account
		self.blockers = "\n".join(plan.blockers)
		self.set(
			"defaults",
			[
				{"label": d.label, "company_field": d.fieldname, "current_value": d.current, "value": d.value, "action": d.action}
				for d in plan.defaults
			],
		)
		self.set(
			"warehouses",
			[
				{"warehouse": w.warehouse, "account": w.account, "resolved_by": w.source, "items": w.items, "stock_value": w.value}
				for w in plan.warehouses
			],
		)
		self.set(
			"stock_accounts",
			[
				{"account": a.account, "stock_value": a.stock_value, "gl_balance": a.gl_balance, "difference": a.difference}
				for a in plan.accounts
			],
		)
		self.set(
			"receipts",
			[
				{
					"purchase_receipt": r.receipt,
					"supplier": r.supplier,
					"posting_date": r.posting_date,
					"received_value": r.received_value,
					"billed_value": r.billed_value,
					"returned_value": r.returned_value,
					"open_value": r.open_value,
				}
				for r in plan.receipts
			],
		)
		self.set(
			"journal_lines",
			[
				{"journal": journal, "account": line.account, "debit": line.debit, "credit": line.credit, "remark": line.remark}
				for journal, lines in (("Stock Sync", plan.sync_lines), ("SRBNB Opening", plan.srbnb_lines))
				for line in lines
			],
		)
