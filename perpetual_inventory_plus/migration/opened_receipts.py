"""Invoices for receipts from before a migration's cutover bill Stock Received But Not Billed."""

import erpnext
import frappe


def bill_opened_receipts(invoice):
	"""An invoice for a receipt whose Stock Received But Not Billed the migration opened debits
	that account, as it would for a receipt made under perpetual inventory.

	ERPNext sends an invoice row to Stock Received But Not Billed only when the receipt itself
	posted to it; a receipt from before the cutover never did, so without this the invoice would
	expense the purchase a second time and the opening would never clear."""
	if invoice.get("update_stock") or invoice.get("is_opening") == "Yes":
		return
	receipts = {row.purchase_receipt for row in invoice.items if row.purchase_receipt}
	if not receipts or not erpnext.is_perpetual_inventory_enabled(invoice.company):
		return
	opened = set(
		frappe.db.sql_list(
			"""
			select opening.purchase_receipt
			from `tabPerpetual Inventory Migration Receipt` opening
			join `tabPerpetual Inventory Migration` migration on migration.name = opening.parent
			where migration.company = %s and migration.docstatus = 1 and migration.status = 'Executed'
				and opening.purchase_receipt in %s
			""",
			(invoice.company, tuple(receipts)),
		)
	)
	if not opened:
		return
	srbnb = invoice.get_company_default("stock_received_but_not_billed")
	stock_items = invoice.get_stock_items()
	for row in invoice.items:
		if row.purchase_receipt in opened and row.item_code in stock_items and not row.is_fixed_asset:
			row.expense_account = srbnb


class BillsOpenedReceipts:
	"""Purchase Invoice mixin (hooks.py) over ERPNext's `PurchaseInvoice.set_expense_account`."""

	def set_expense_account(self, for_validate=False):
		super().set_expense_account(for_validate)
		bill_opened_receipts(self)
