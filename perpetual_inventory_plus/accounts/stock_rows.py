"""Where ERPNext's stock documents keep the warehouses of their stock rows."""

_SELLING = {"items": ("warehouse", "target_warehouse"), "packed_items": ("warehouse", "target_warehouse")}
_BUYING = {"items": ("warehouse", "rejected_warehouse", "from_warehouse")}

WAREHOUSE_FIELDS = {
	"Purchase Receipt": _BUYING,
	"Purchase Invoice": _BUYING,
	"Delivery Note": _SELLING,
	"Sales Invoice": _SELLING,
	"Stock Entry": {"items": ("s_warehouse", "t_warehouse")},
	"Stock Reconciliation": {"items": ("warehouse",)},
}


def stock_row_warehouses(doc):
	"""(row, warehouse field, warehouse) for every warehouse a stock row of `doc` names."""
	for table, fields in WAREHOUSE_FIELDS.get(doc.doctype, {}).items():
		for row in doc.get(table) or []:
			for field in fields:
				if row.get("item_code") and row.get(field):
					yield row, field, row.get(field)
