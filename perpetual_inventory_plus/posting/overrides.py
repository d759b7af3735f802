"""ERPNext's stock vouchers, posting stock GL with the resolved inventory accounts.

Every class here is ERPNext's own with `ResolvedInventoryAccounts` in front; `hooks.py` registers
them with `override_doctype_class`. Landed Cost Voucher needs none: it re-posts the GL of its
receipts through these classes. Purchase Invoice also bills receipts from before a migration's
cutover through Stock Received But Not Billed (`migration.bill_opened_receipts`)."""

from erpnext.accounts.doctype.purchase_invoice.purchase_invoice import PurchaseInvoice as _PurchaseInvoice
from erpnext.accounts.doctype.sales_invoice.sales_invoice import SalesInvoice as _SalesInvoice
from erpnext.stock.doctype.delivery_note.delivery_note import DeliveryNote as _DeliveryNote
from erpnext.stock.doctype.purchase_receipt.purchase_receipt import PurchaseReceipt as _PurchaseReceipt
from erpnext.stock.doctype.stock_entry.stock_entry import StockEntry as _StockEntry
from erpnext.stock.doctype.stock_reconciliation.stock_reconciliation import (
	StockReconciliation as _StockReconciliation,
)

from perpetual_inventory_plus.posting.resolved_accounts import ResolvedInventoryAccounts
from perpetual_inventory_plus.migration.opened_receipts import bill_opened_receipts


class PurchaseReceipt(ResolvedInventoryAccounts, _PurchaseReceipt):
	pass


class PurchaseInvoice(ResolvedInventoryAccounts, _PurchaseInvoice):
	def set_expense_account(self, for_validate=False):
		super().set_expense_account(for_validate)
		bill_opened_receipts(self)


class DeliveryNote(ResolvedInventoryAccounts, _DeliveryNote):
	pass


class SalesInvoice(ResolvedInventoryAccounts, _SalesInvoice):
	pass


class StockEntry(ResolvedInventoryAccounts, _StockEntry):
	pass


class StockReconciliation(ResolvedInventoryAccounts, _StockReconciliation):
	pass
