"""A large periodic-to-perpetual migration: its dry run and its execute, end to end.

Run from the bench's sites folder with the bench's Python, after scripts/run-tests has installed
the app:  cd $FRAPPE_BENCH/sites && ../env/bin/python /path/to/repo/benchmarks/migration.py

Builds a periodic company ("PIP Bench Periodic") whose history is written straight into the
tables the plan reads: SLE stock ledger entries (default 200,000) over 500 items and 20
warehouses, RECEIPTS one-row receipts (default 20,000) of which every OPEN_EVERY-th (default
fourth) stays open (5,000), the others billed by invoices; submitting that one by one would take hours and measure ERPNext.
Then, ROUNDS times (default 3), with the median printed:
- the dry run: `compute_plan`, what `bench migrate-to-perpetual` without --execute prints;
- the execute end to end: the migration document saved (its plan shown), submitted, and its job
  run as the worker runs it (plan again, defaults, the sync journal, the SRBNB opening journal
  with a line per open receipt, the switch), inside one transaction rolled back afterwards so
  that each round starts from the same periodic company.
One more round of each under tracemalloc gives the Python memory at its peak. Target: execute
under 5 minutes. The company's rows are deleted at the end.
"""

import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import frappe  # noqa: E402
from frappe.utils import getdate, nowdate  # noqa: E402

from tests.integration.bulk_history import insert_periodic_receipts, insert_stock_ledger  # noqa: E402

COMPANY, ABBR = "PIP Bench Periodic", "PBP"
ITEMS, WAREHOUSES = 500, 20
SLE = int(os.environ.get("SLE", "200000"))
RECEIPTS = int(os.environ.get("RECEIPTS", "20000"))
OPEN_EVERY = int(os.environ.get("OPEN_EVERY", "4"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
CHOSEN = {"default_inventory_account": f"Stock In Hand - {ABBR}"}


def main():
	frappe.init(site=os.environ.get("FRAPPE_SITE", "test_site"), sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	random.seed(7)
	cutover = getdate(nowdate())
	try:
		opened = build(cutover)
		print(f"{COMPANY}: {SLE:,} stock ledger entries, {RECEIPTS:,} receipts, {len(opened):,} open")
		figures = {"dry run": dry_run, "execute": execute}
		for label, timed in figures.items():
			seconds = [timed(cutover) for _ in range(ROUNDS)]
			tracemalloc.start()
			timed(cutover)
			peak = tracemalloc.get_traced_memory()[1] / 2**20
			tracemalloc.stop()
			print(f"{label:<8} median {statistics.median(seconds):7.2f} s  (runs {', '.join(f'{s:.2f}' for s in seconds)})  peak {peak:6.1f} MiB")
	finally:
		delete()


def build(cutover) -> dict:
	from tests.integration.factory import ensure_account, ensure_company, ensure_party, ensure_warehouse

	ensure_company(COMPANY, ABBR, perpetual=0)
	supplier = ensure_party("Supplier", "PIP Bench Supplier")
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
	delete()
	insert_stock_ledger(ABBR, COMPANY, 0, SLE, ITEMS, warehouses, (1, 2, 3, 5, -1, -2), cutover)
	opened = insert_periodic_receipts(ABBR, COMPANY, supplier, RECEIPTS, OPEN_EVERY, ITEMS, warehouses, cutover)
	frappe.db.commit()
	return opened


def dry_run(cutover) -> float:
	from perpetual_inventory_plus.migration.plan import compute_plan

	start = time.perf_counter()
	plan = compute_plan(COMPANY, cutover, chosen=CHOSEN)
	seconds = time.perf_counter() - start
	assert not plan.blockers, plan.blockers
	return seconds


def execute(cutover) -> float:
	from unittest.mock import patch

	from perpetual_inventory_plus.migration.job import EXECUTED, run

	with patch.object(frappe.db, "commit", lambda *a, **k: None):
		start = time.perf_counter()
		doc = frappe.get_doc({"doctype": "Perpetual Inventory Migration", "company": COMPANY, "cutover_date": cutover, **CHOSEN})
		doc.insert()
		doc.flags.run_by_caller = True
		doc.submit()
		status = run(doc.name)
		seconds = time.perf_counter() - start
	assert status == EXECUTED, frappe.db.get_value("Perpetual Inventory Migration", doc.name, "execution_log")
	frappe.db.rollback()
	return seconds


def delete():
	frappe.db.rollback()
	for table in ("Stock Ledger Entry", "Purchase Receipt Item", "Purchase Receipt", "Purchase Invoice Item", "Purchase Invoice"):
		frappe.db.sql(f"delete from `tab{table}` where name like %s", (f"{ABBR}-%",))
	frappe.db.commit()


if __name__ == "__main__":
	main()
