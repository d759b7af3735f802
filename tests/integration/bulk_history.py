"""Writing a benchmark's history straight into ERPNext's tables: submitting hundreds of thousands
of documents one by one would take hours and measure ERPNext, not the code being timed."""

import random

import frappe
from frappe.utils import add_days


def insert_rows(table: str, columns: list[str], rows: list[tuple], batch: int = 5000) -> None:
	"""Multi-row inserts of `batch` rows each."""
	for start in range(0, len(rows), batch):
		chunk = rows[start : start + batch]
		placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
		frappe.db.sql(
			f"insert into `{table}` ({', '.join(f'`{c}`' for c in columns)}) values {placeholders}",
			[value for row in chunk for value in row],
		)


def insert_stock_ledger(prefix: str, company: str, start: int, end: int, items: int, warehouses, qtys, until) -> None:
	"""Stock ledger entries `start` to `end` (names `<prefix>-SLE-<n>`) of `company`: each a random
	item of `<prefix>-ITEM-0000` to `items`, warehouse and quantity of `qtys`, worth 50 to 500 a
	unit, dated in the 300 days before `until`; ten to a Stock Entry."""
	now = frappe.utils.now()
	columns = [
		"name", "creation", "modified", "owner", "modified_by", "docstatus", "company", "item_code", "warehouse",
		"posting_date", "posting_time", "actual_qty", "stock_value_difference", "is_cancelled", "voucher_type",
		"voucher_no", "voucher_detail_no",
	]
	rows = []
	for i in range(start, end):
		qty = random.choice(qtys)
		rows.append(
			(
				f"{prefix}-SLE-{i:07d}", now, now, "Administrator", "Administrator", 1, company,
				f"{prefix}-ITEM-{random.randrange(items):04d}", random.choice(warehouses),
				add_days(until, -random.randrange(1, 300)), "10:00:00", qty, qty * random.randrange(50, 500),
				0, "Stock Entry", f"{prefix}-SE-{i // 10:06d}", f"{prefix}-SED-{i:07d}",
			)
		)
	insert_rows("tabStock Ledger Entry", columns, rows)
