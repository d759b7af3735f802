"""What differs between the ERPNext releases the app runs on (version-15 and version-16), in one
place. Each answer is read from the running site's schema where the schema tells; only the hook
that extends doctype classes goes by frappe's major version, since hooks.py reads it before any
site is connected. Below every capability: each may import it; it imports none of them."""

import frappe

FRAPPE_MAJOR = int(frappe.__version__.split(".")[0])

# frappe 16 composes controller classes from `extend_doctype_class` mixins, so that other apps
# extending the same doctypes keep working; frappe 15 only replaces a class whole.
EXTENDS_DOCTYPE_CLASS = FRAPPE_MAJOR >= 16

# version-16's stock GL asks StockController.get_inventory_account_dict for the account of every
# stock line, with the row and warehouse it posts; version-15 reads its warehouse account map.
ASKS_INVENTORY_ACCOUNT_PER_LINE = FRAPPE_MAJOR >= 16


def company_has_field(fieldname: str) -> bool:
	"""version-16 dropped some Company defaults (Expenses Included In Valuation)."""
	return frappe.get_meta("Company").has_field(fieldname)


def receipt_price_adjustment_column() -> str:
	"""The Purchase Receipt Item column with the amount a receipt row credits to Stock Received But
	Not Billed beyond its net amount, when an invoice at another rate adjusts the receipt's
	valuation (Buying Settings' set_landed_cost_based_on_purchase_invoice_rate): erpnext 15.14
	named it rate_difference_with_purchase_invoice; later releases amount_difference_... . The
	receipt posts it in its "Adjustment based on Purchase Invoice rate" GL line."""
	if frappe.db.has_column("Purchase Receipt Item", "amount_difference_with_purchase_invoice"):
		return "amount_difference_with_purchase_invoice"
	return "rate_difference_with_purchase_invoice"


def uses_item_wise_inventory_accounts(company: str) -> bool:
	"""version-16's Company switch: stock rows post to their item's, item group's or brand's
	inventory account (erpnext PR #50193). Always off on version-15, which has no such field."""
	return company_has_field("enable_item_wise_inventory_account") and bool(
		frappe.get_cached_value("Company", company, "enable_item_wise_inventory_account")
	)
