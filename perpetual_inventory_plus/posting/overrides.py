"""ERPNext's stock vouchers with the app's mixins in front, for version-15's
`override_doctype_class` (hooks.py). On version-16, hooks.py hands the same mixins to
`extend_doctype_class` instead, which lets other apps extend the same doctypes.

Landed Cost Voucher needs no class: it re-posts the GL of its receipts through these."""

from erpnext.accounts.doctype.purchase_invoice.purchase_invoice import PurchaseInvoice as _PurchaseInvoice
from erpnext.accounts.doctype.sales_invoice.sales_invoice import SalesInvoice as _SalesInvoice
from erpnext.assets.doctype.asset_capitalization.asset_capitalization import (
	AssetCapitalization as _AssetCapitalization,
)
from erpnext.stock.doctype.delivery_note.delivery_note import DeliveryNote as _DeliveryNote
from erpnext.stock.doctype.purchase_receipt.purchase_receipt import PurchaseReceipt as _PurchaseReceipt
from erpnext.stock.doctype.stock_entry.stock_entry import StockEntry as _StockEntry
from erpnext.stock.doctype.stock_reconciliation.stock_reconciliation import (
	StockReconciliation as _StockReconciliation,
)
from erpnext.subcontracting.doctype.subcontracting_receipt.subcontracting_receipt import (
	SubcontractingReceipt as _SubcontractingReceipt,
)

from perpetual_inventory_plus.migration.opened_receipts import BillsOpenedReceipts
from perpetual_inventory_plus.posting.resolved_accounts import ResolvedInventoryAccounts


class PurchaseReceipt(ResolvedInventoryAccounts, _PurchaseReceipt):
	pass


class PurchaseInvoice(ResolvedInventoryAccounts, BillsOpenedReceipts, _PurchaseInvoice):
	pass


class DeliveryNote(ResolvedInventoryAccounts, _DeliveryNote):
	pass


class SalesInvoice(ResolvedInventoryAccounts, _SalesInvoice):
	pass


class StockEntry(ResolvedInventoryAccounts, _StockEntry):
	pass


class StockReconciliation(ResolvedInventoryAccounts, _StockReconciliation):
	pass


class SubcontractingReceipt(ResolvedInventoryAccounts, _SubcontractingReceipt):
	pass


class AssetCapitalization(ResolvedInventoryAccounts, _AssetCapitalization):
	pass
