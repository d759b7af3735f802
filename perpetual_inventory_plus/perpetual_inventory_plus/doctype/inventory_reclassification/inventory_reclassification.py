"""A change of where stock is accounted, with the stock on hand it moves
(`perpetual_inventory_plus.reclassification.voucher`)."""

from frappe.model.document import Document

from perpetual_inventory_plus.reclassification.voucher import carry_out, check_before_submit, preview, undo


class InventoryReclassification(Document):
	def _validate_links(self):
		# The moves are worked out again by validate; an account Create Account Under is to make
		# does not exist yet, so the last preview's rows are not checked as links.
		self.set("moves", [])
		super()._validate_links()

	def validate(self):
		preview(self)

	def before_submit(self):
		check_before_submit(self)

	def on_submit(self):
		carry_out(self)

	def on_cancel(self):
		# Its own GL is reversed on cancel, not a reason to refuse it (read from the instance).
		self.ignore_linked_doctypes = ("GL Entry",)
		undo(self)
