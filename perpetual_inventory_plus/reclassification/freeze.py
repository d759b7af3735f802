"""History stays where it posted: after a reclassification, a company's stock before it is frozen.

A voucher dated before the reclassification posted with the mapping of its day, and the
reclassification moved the value it left on hand. Submitting, cancelling or reposting one now
would post with today's mapping and move history, so it is refused (as a migration's cutover
is). Vouchers after the reclassification post as usual."""

import frappe
from frappe import _
from frappe.utils import format_datetime, get_datetime

from perpetual_inventory_plus.accounts.stock_rows import stock_datetimes

DOCTYPE = "Inventory Reclassification"


def last_reclassification(company: str):
	"""The company's latest submitted reclassification: name and when it took effect."""
	rows = frappe.get_all(
		DOCTYPE,
		filters={"company": company, "docstatus": 1},
		fields=["name", "posting_date", "posting_time"],
		order_by="posting_date desc, posting_time desc, creation desc",
		limit=1,
	)
	if rows:
		row = rows[0]
		return row.name, get_datetime(f"{row.posting_date} {row.posting_time}")
	return None


def check_reclassified(doc, method=None):
	"""doc_events hook (before_submit, before_cancel; validate for Repost Item Valuation)."""
	if doc.doctype in ("Purchase Invoice", "Sales Invoice") and not doc.get("update_stock"):
		return
	last = last_reclassification(doc.company)
	if not last:
		return
	name, effective = last
	earliest = min(stock_datetimes(doc), default=None)
	if earliest and earliest < effective:
		frappe.throw(
			_(
				"{0} {1} touches stock of company {2} as of {3}, before Inventory Reclassification {4} of {5}: "
				"stock transactions before a reclassification are frozen, so that they stay on the accounts "
				"they posted to"
			).format(
				_(doc.doctype), frappe.bold(doc.name), doc.company, format_datetime(earliest), name, format_datetime(effective)
			),
			title=_("Stock Frozen Before a Reclassification"),
		)
