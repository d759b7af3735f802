"""Dry-run plan of a periodic-to-perpetual migration over a large stock ledger.

Run from the bench's sites folder with the bench's Python, after scripts/run-tests has installed
the app:  cd $FRAPPE_BENCH/sites && ../env/bin/python /path/to/repo/benchmarks/migration_plan.py

Builds a periodic company ("PIP Bench Periodic") whose history is written straight into the
tables the plan reads (stock ledger entries, receipts and their rows, invoices billing part of
them, GL on the stock accounts): submitting 200,000 stock entries one by one would take hours and
measure ERPNext, not the plan. Then it times `compute_plan` (what the dry run does) at 50,000 and
at 200,000 stock ledger entries, and the Python memory it allocates at its peak: the plan sums in
SQL, so memory follows the (item, warehouse) pairs and the open receipts, not the entries.
Target: under 60 s at 200,000. The company and its rows are deleted at the end.
"""

import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import frappe  # noqa: E402
from frappe.utils import add_days, getdate, nowdate  # noqa: E402

from benchmarks.bulk_insert import insert_rows, insert_stock_ledger  # noqa: E402

COMPANY, ABBR = "PIP Bench Periodic", "PBP"
ITEMS, WAREHOUSES = 500, 20
RECEIPTS, ROWS_PER_RECEIPT = 5_000, 4
SIZES = [int(s) for s in os.environ.get("SIZES", "50000,200000").split(",")]


def main():
	frappe.init(site=os.environ.get("FRAPPE_SITE", "test_site"), sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	from perpetual_inventory_plus.migration.plan import compute_plan

	from tests.integration.factory import ensure_account, ensure_company, ensure_warehouse

	random.seed(7)
	ensure_company(COMPANY, ABBR, perpetual=0)
	group = ensure_warehouse(COMPANY, "Bench Region", is_group=1, account=ensure_account(COMPANY, "Bench Region Stock", f"Stock Assets - {ABBR}"))
	warehouses = [
		ensure_warehouse(
			COMPANY,
			f"Bench WH {i:02d}",
			parent=group if i % 2 else None,
			account=None if i % 2 else ensure_account(COMPANY, f"Bench Stock {i:02d}", f"Stock Assets - {ABBR}"),
		)
		for i in range(WAREHOUSES)
	]
	frappe.db.commit()
	cutover = getdate(nowdate())
	try:
		_receipts(warehouses, cutover)
		written = 0
		print(f"{'SLE':>9} {'pairs':>6} {'open receipts':>13} {'plan s':>7} {'peak MiB':>8}")
		for size in SIZES:
			insert_stock_ledger("PBP", COMPANY, written, size, ITEMS, warehouses, (1, 2, 3, 5, -1, -2), cutover)
			written = size
			frappe.db.commit()
			tracemalloc.start()
			start = time.perf_counter()
			plan = compute_plan(COMPANY, cutover, chosen={"default_inventory_account": f"Stock In Hand - {ABBR}"})
			seconds = time.perf_counter() - start
			peak = tracemalloc.get_traced_memory()[1] / 2**20
			tracemalloc.stop()
			pairs = sum(w.items for w in plan.warehouses)
			print(f"{size:>9} {pairs:>6} {len(plan.receipts):>13} {seconds:>7.2f} {peak:>8.1f}")
			assert not plan.blockers, plan.blockers
	finally:
		_delete()


def _receipts(warehouses, cutover):
	now = frappe.utils.now()
	supplier = frappe.db.get_value("Supplier", {}, "name")
	receipts, rows, invoices, invoice_rows, gl = [], [], [], [], []
	for r in range(RECEIPTS):
		date = add_days(cutover, -random.randrange(1, 300))
		receipts.append((f"PBP-PR-{r:05d}", now, now, "Administrator", 1, COMPANY, supplier, date, 0))
		for k in range(ROWS_PER_RECEIPT):
			qty = random.randrange(1, 20)
			name = f"PBP-PRI-{r:05d}-{k}"
			rows.append((name, now, now, "Administrator", 1, f"PBP-PR-{r:05d}", "Purchase Receipt", "items", k + 1,
				f"PBP-ITEM-{random.randrange(ITEMS):04d}", random.choice(warehouses), qty, qty, qty * 100.0))
			billed = random.choice((0, qty, qty // 2))
			if billed:
				invoice_rows.append((f"PBP-PII-{r:05d}-{k}", now, now, "Administrator", 1, f"PBP-PI-{r:05d}",
					"Purchase Invoice", "items", k + 1, billed, name, f"PBP-PR-{r:05d}"))
		invoices.append((f"PBP-PI-{r:05d}", now, now, "Administrator", 1, COMPANY, supplier, date))
		gl.append((f"PBP-GL-{r:05d}", now, now, "Administrator", 1, COMPANY, f"Bench Stock {r % WAREHOUSES // 2 * 2:02d} - {ABBR}",
			date, 10.0, 0, "Journal Entry", f"PBP-JV-{r:05d}", 0))
	insert_rows("tabPurchase Receipt", ["name", "creation", "modified", "owner", "docstatus", "company", "supplier", "posting_date", "is_return"], receipts)
	insert_rows("tabPurchase Receipt Item", ["name", "creation", "modified", "owner", "docstatus", "parent", "parenttype", "parentfield", "idx",
		"item_code", "warehouse", "qty", "stock_qty", "base_net_amount"], rows)
	insert_rows("tabPurchase Invoice", ["name", "creation", "modified", "owner", "docstatus", "company", "supplier", "posting_date"], invoices)
	insert_rows("tabPurchase Invoice Item", ["name", "creation", "modified", "owner", "docstatus", "parent", "parenttype", "parentfield", "idx",
		"stock_qty", "pr_detail", "purchase_receipt"], invoice_rows)
	insert_rows("tabGL Entry", ["name", "creation", "modified", "owner", "docstatus", "company", "account", "posting_date", "debit", "credit",
		"voucher_type", "voucher_no", "is_cancelled"], gl)
	frappe.db.commit()


def _delete():
	frappe.db.rollback()
	for table, column in (
		("tabStock Ledger Entry", "name"), ("tabPurchase Receipt Item", "name"), ("tabPurchase Receipt", "name"),
		("tabPurchase Invoice Item", "name"), ("tabPurchase Invoice", "name"), ("tabGL Entry", "name"),
	):
		frappe.db.sql(f"delete from `{table}` where `{column}` like 'PBP-%%'")
	frappe.db.commit()


if __name__ == "__main__":
	main()
