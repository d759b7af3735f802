"""Writing a large history straight into ERPNext's tables, for the benchmarks and the tests at
scale: submitting hundreds of thousands of documents one by one would take hours and measure
ERPNext, not the code being timed."""

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


def insert_periodic_receipts(prefix: str, company: str, supplier: str, count: int, open_every: int, items: int, warehouses, until) -> dict[str, float]:
	"""`count` one-row Purchase Receipts of `company` (names `<prefix>-PR-<n>`), each of 1 to 19
	units of a random `<prefix>-ITEM-<n>` at 100, dated in the 300 days before `until`. Every
	`open_every`-th stays open, half of those billed in part; each other one is billed in full by
	an invoice of its own. Returns each open receipt's value received and not billed."""
	now = frappe.utils.now()
	receipts, rows, invoices, invoice_rows, opened = [], [], [], [], {}
	for r in range(count):
		receipt, row, date, qty = f"{prefix}-PR-{r:06d}", f"{prefix}-PRI-{r:06d}", add_days(until, -random.randrange(1, 300)), random.randrange(1, 20)
		billed = (qty // 2 if r % 2 else 0) if r % open_every == 0 else qty
		receipts.append((receipt, now, now, "Administrator", 1, company, supplier, date, 0))
		rows.append((row, now, now, "Administrator", 1, receipt, "Purchase Receipt", "items", 1,
			f"{prefix}-ITEM-{random.randrange(items):04d}", random.choice(warehouses), qty, qty, qty * 100.0))
		if billed:
			invoices.append((f"{prefix}-PI-{r:06d}", now, now, "Administrator", 1, company, supplier, date))
			invoice_rows.append((f"{prefix}-PII-{r:06d}", now, now, "Administrator", 1, f"{prefix}-PI-{r:06d}",
				"Purchase Invoice", "items", 1, billed, row, receipt))
		if billed < qty:
			opened[receipt] = (qty - billed) * 100.0
	common = ["name", "creation", "modified", "owner", "docstatus"]
	child = [*common, "parent", "parenttype", "parentfield", "idx"]
	insert_rows("tabPurchase Receipt", [*common, "company", "supplier", "posting_date", "is_return"], receipts)
	insert_rows("tabPurchase Receipt Item", [*child, "item_code", "warehouse", "qty", "stock_qty", "base_net_amount"], rows)
	insert_rows("tabPurchase Invoice", [*common, "company", "supplier", "posting_date"], invoices)
	insert_rows("tabPurchase Invoice Item", [*child, "stock_qty", "pr_detail", "purchase_receipt"], invoice_rows)
	return opened
