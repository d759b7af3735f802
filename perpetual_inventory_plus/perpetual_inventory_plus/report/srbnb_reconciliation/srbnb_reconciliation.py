"""SRBNB Reconciliation: every unit of the Stock Received But Not Billed balance, explained.

The summary always ties to the whole company's account, as the trial balance shows it; the item,
receipt and "only differences" filters narrow the rows shown, not the summary. A supplier narrows
what is read to its receipts and invoices (fast on a large company): the summary is then that
supplier's, and the rest of the account's GL balance is a figure of its own.
Receipt rows fully billed at their own rate (nothing open, no difference) are shown only with
"Include Cleared Rows": they add nothing to any figure."""

import frappe
from frappe import _
from frappe.utils import flt, getdate, today

from perpetual_inventory_plus.srbnb.reconcile import account_balance, check_company_access, reconcile_company


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not filters.company:
		frappe.throw(_("Company is required"))
	check_company_access(filters.company)
	as_of = getdate(filters.as_of_date or today())
	account, result = reconcile_company(
		filters.company, as_of, include_cleared=bool(filters.include_cleared), supplier=filters.supplier
	)
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	balance = account_balance(filters.company, as_of) if filters.supplier else None
	lines = [line for line in result.lines if shown(line, filters)]
	lines.sort(key=lambda line: (line.posting_date, line.voucher_no, line.detail or ""))
	message = _("Stock Received But Not Billed account: {0}").format(account)
	return columns(), [row(line, currency) for line in lines], message, chart(result, currency), summary(result, currency, balance)


def shown(line, filters) -> bool:
	if filters.only_differences and not line.difference:
		return False
	if filters.supplier and line.supplier != filters.supplier:
		return False
	if filters.item_code and line.item_code != filters.item_code:
		return False
	if filters.purchase_receipt and (line.voucher_type, line.voucher_no) != ("Purchase Receipt", filters.purchase_receipt):
		return False
	return True


def row(line, currency: str) -> dict:
	return {
		"voucher_type": line.voucher_type,
		"voucher_no": line.voucher_no,
		"detail": line.detail,
		"posting_date": line.posting_date,
		"supplier": line.supplier,
		"item_code": line.item_code,
		"received_qty": line.received_qty,
		"received_amount": line.received_amount,
		"billed_qty": line.billed_qty,
		"billed_amount": line.billed_amount,
		"returned_qty": line.returned_qty,
		"returned_amount": line.returned_amount,
		"open_qty": line.open_qty,
		"open_amount": line.open_amount,
		"gl_balance": line.gl_balance,
		"difference": line.difference,
		"reason": ", ".join(_(reason) for reason in line.reasons),
		"unexplained": 0 if line.explained else 1,
		"age_days": line.age_days,
		"currency": currency,
	}


def columns() -> list[dict]:
	def amount(fieldname, label):
		return {"fieldname": fieldname, "label": _(label), "fieldtype": "Currency", "options": "currency", "width": 120}

	def qty(fieldname, label):
		return {"fieldname": fieldname, "label": _(label), "fieldtype": "Float", "width": 90}

	return [
		# Data, not a Link to DocType: Frappe checks read access on every linked doctype of a row.
		{"fieldname": "voucher_type", "label": _("Voucher Type"), "fieldtype": "Data", "width": 130},
		{"fieldname": "voucher_no", "label": _("Voucher"), "fieldtype": "Dynamic Link", "options": "voucher_type", "width": 170},
		{"fieldname": "detail", "label": _("Row"), "fieldtype": "Data", "width": 100},
		{"fieldname": "posting_date", "label": _("Posting Date"), "fieldtype": "Date", "width": 100},
		{"fieldname": "supplier", "label": _("Supplier"), "fieldtype": "Link", "options": "Supplier", "width": 140},
		{"fieldname": "item_code", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 120},
		qty("received_qty", "Received Qty"),
		amount("received_amount", "Received Amount"),
		qty("billed_qty", "Billed Qty"),
		amount("billed_amount", "Billed Amount"),
		qty("returned_qty", "Returned Qty"),
		amount("returned_amount", "Returned Amount"),
		qty("open_qty", "Open Qty"),
		amount("open_amount", "Open Amount"),
		amount("gl_balance", "SRBNB GL Balance"),
		amount("difference", "Difference"),
		{"fieldname": "reason", "label": _("Reason"), "fieldtype": "Data", "width": 200},
		{"fieldname": "age_days", "label": _("Age (Days)"), "fieldtype": "Int", "width": 80},
		{"fieldname": "currency", "label": _("Currency"), "fieldtype": "Link", "options": "Currency", "hidden": 1},
	]


def chart(result, currency: str) -> dict:
	return {
		"data": {
			"labels": [_("{0} days").format(label) for label in result.open_by_age],
			"datasets": [{"name": _("Open Amount"), "values": list(result.open_by_age.values())}],
		},
		"type": "bar",
		"fieldtype": "Currency",
		"currency": currency,
	}


def summary(result, currency: str, balance: float | None = None) -> list[dict]:
	"""Open + explained + unexplained = the SRBNB balance; for one supplier, + the rest of the
	account (`balance`: the whole account's)."""

	def figure(label, value, indicator="Blue"):
		return {"label": _(label), "value": value, "datatype": "Currency", "currency": currency, "indicator": indicator}

	figures = [
		figure("Total Open", result.total_open),
		figure("SRBNB Balance (GL)", result.gl_balance if balance is None else balance),
		figure("Explained Difference", result.explained_difference),
		figure("Unexplained Remainder", result.unexplained_remainder, "Red" if result.unexplained_remainder else "Green"),
	]
	if balance is not None:
		figures.append(figure("Rest of the Account (GL)", flt(balance - result.gl_balance, 2), "Grey"))
	return figures
