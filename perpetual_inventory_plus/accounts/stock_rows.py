"""Where ERPNext's stock documents keep the items and warehouses their stock moves: the
placements (an item in a warehouse) of each row, and under which row ERPNext's GL names them."""

from typing import NamedTuple

import frappe
from frappe.utils import get_datetime

_SELLING = {"items": ("warehouse", "target_warehouse"), "packed_items": ("warehouse", "target_warehouse")}
_BUYING = {"items": ("warehouse", "rejected_warehouse", "from_warehouse")}

# doctype -> table -> the fields naming a row's warehouses. Subcontracting Receipt's supplied
# raw materials leave the document's supplier warehouse.
WAREHOUSE_FIELDS = {
	"Purchase Receipt": _BUYING,
	"Purchase Invoice": _BUYING,
	"Delivery Note": _SELLING,
	"Sales Invoice": _SELLING,
	"Stock Entry": {"items": ("s_warehouse", "t_warehouse")},
	"Stock Reconciliation": {"items": ("warehouse",)},
	"Subcontracting Receipt": {"items": ("warehouse", "rejected_warehouse"), "supplied_items": ("supplier_warehouse",)},
	"Asset Capitalization": {"stock_items": ("warehouse",)},
}


# The field of a row naming the row ERPNext posts its GL lines with: a packed item's bundle row, a
# supplied raw material's finished good row; other rows post with themselves.
_GL_ROW_FIELD = {"packed_items": "parent_detail_docname", "supplied_items": "reference_name"}


class Placement(NamedTuple):
	row: object  # the document row
	field: str  # the warehouse field, of the row or (supplier_warehouse) of the document
	item: str
	warehouse: str
	gl_row: str  # name of the row ERPNext posts the placement's GL lines with


def placements(doc):
	"""Every placement of `doc`'s stock rows. A product bundle's row moves no stock of its own: its
	packed items stand in its place, each by its own item and warehouse."""
	bundles = {p.parent_detail_docname for p in doc.get("packed_items") or [] if p.get("parent_detail_docname")}
	for table, fields in WAREHOUSE_FIELDS.get(doc.doctype, {}).items():
		for row in doc.get(table) or []:
			item = row.get("rm_item_code") or row.get("item_code")
			if not item or (table == "items" and row.name in bundles):
				continue
			gl_row = row.get(_GL_ROW_FIELD.get(table, "name")) or row.name
			for field in fields:
				warehouse = row.get(field) or (doc.get(field) if table == "supplied_items" else None)
				if warehouse:
					yield Placement(row, field, item, warehouse, gl_row)


def stock_datetimes(doc) -> list:
	"""When the stock `doc` moves (or re-posts) stands in the stock ledger: its own posting date and
	time; a Landed Cost Voucher re-posts its receipts as of theirs (read from them: the row's copy
	is only filled in by the Desk)."""
	if doc.doctype == "Landed Cost Voucher":
		found = [
			frappe.db.get_value(row.receipt_document_type, row.receipt_document, ["posting_date", "posting_time"])
			for row in doc.purchase_receipts
			if row.receipt_document
		]
	else:
		found = [(doc.posting_date, doc.get("posting_time"))]
	return [get_datetime(f"{date} {time or '00:00:00'}") for date, time in found if date]
