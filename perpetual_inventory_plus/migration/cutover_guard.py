"""After a company's migration to perpetual inventory, its stock up to the cutover is frozen.

Vouchers before the cutover have stock movement and no GL. Submitting, cancelling or reposting
one would make ERPNext post (or re-post) GL for it and undo the sync the migration made as of
the cutover. Stock Settings' freeze date cannot do this: it is one date for every company.
"""

import frappe
from frappe import _
from frappe.utils import formatdate, getdate

from perpetual_inventory_plus.accounts.stock_rows import stock_datetimes
from perpetual_inventory_plus.migration.plan import migrated_by


def check_cutover(doc, method=None):
	"""doc_events hook (before_submit, before_cancel; validate for Repost Item Valuation)."""
	if doc.doctype in ("Purchase Invoice", "Sales Invoice") and not doc.get("update_stock"):
		return
	migration = migrated_by(doc.company)
	if not migration:
		return
	earliest = min(map(getdate, stock_datetimes(doc)), default=None)
	if earliest and earliest <= getdate(migration.cutover_date):
		frappe.throw(
			_(
				"{0} {1} touches stock of company {2} dated {3}: stock transactions up to {4}, the cutover of "
				"migration {5} to perpetual inventory, are frozen"
			).format(
				_(doc.doctype),
				frappe.bold(doc.name),
				doc.company,
				formatdate(earliest),
				formatdate(migration.cutover_date),
				migration.name,
			),
			title=_("Stock Frozen Before the Cutover"),
		)
