"""Submit time of a 50-row Purchase Receipt and Delivery Note with the app on and off.

Run from the bench's sites folder with the bench's Python, after scripts/run-tests has installed
the app:  cd $FRAPPE_BENCH/sites && ../env/bin/python /path/to/repo/benchmarks/submit_overhead.py

Prints the median submit time per document and mode, their ratio, and the SQL queries each submit
ran at 10 and at 50 rows: what the app adds must not grow with the rows. Every submit is rolled
back, so each one starts from the same state.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import frappe  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "7"))
ROWS = 50


def main():
	frappe.init(site=os.environ.get("FRAPPE_SITE", "test_site"), sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	from tests.integration.factory import add_rule, enable_app_for, ensure_item
	from tests.integration.stock_documents import COMPANY, posting_setup, purchase_receipt, selling

	layout = posting_setup()
	items = [ensure_item(f"PIP-BENCH-{i:02d}", "PIP Metals" if i % 2 else "PIP Products") for i in range(10)]
	frappe.db.commit()
	warehouses = [layout["Stores"], layout["Work In Progress"], layout["Finished Goods"]]

	def rows(n, rate=100):
		return [(items[i % len(items)], 2, rate, warehouses[i % len(warehouses)]) for i in range(n)]

	def set_mode(on):
		enable_app_for(COMPANY, resolve_inventory_accounts=int(on))
		if on:
			add_rule(COMPANY, layout["rule account"], item_group="PIP Raw Material", warehouse=layout["Stores"])

	queries = {"count": 0}
	real_sql = frappe.db.sql

	def counting_sql(*args, **kwargs):
		queries["count"] += 1
		return real_sql(*args, **kwargs)

	frappe.db.sql = counting_sql

	def measure(on, n):
		"""(receipt seconds, delivery seconds, receipt queries, delivery queries) for n rows."""
		set_mode(on)
		receipt = purchase_receipt(rows(n), submit=False)
		queries["count"] = 0
		start = time.perf_counter()
		receipt.submit()
		receipt_time, receipt_queries = time.perf_counter() - start, queries["count"]
		note = selling("Delivery Note", [(i, 1, 300, w) for i, _q, _r, w in rows(n)], submit=False)
		queries["count"] = 0
		start = time.perf_counter()
		note.submit()
		note_time, note_queries = time.perf_counter() - start, queries["count"]
		frappe.db.rollback()
		frappe.clear_cache()
		return receipt_time, note_time, receipt_queries, note_queries

	measure(True, ROWS)  # warm caches and imports
	times = {True: [], False: []}
	for _ in range(ROUNDS):
		for on in (False, True):
			times[on].append(measure(on, ROWS))

	print(f"{ROWS}-row documents, {ROUNDS} rounds, app off and on alternating; median submit seconds")
	for index, name in ((0, "Purchase Receipt"), (1, "Delivery Note")):
		off = statistics.median(t[index] for t in times[False])
		on = statistics.median(t[index] for t in times[True])
		print(f"  {name:17s} off {off:.3f}  on {on:.3f}  ratio {on / off:.3f}")

	print("SQL queries per submit (app off / on)")
	for n in (10, ROWS):
		off, on = measure(False, n), measure(True, n)
		print(
			f"  {n:2d} rows: Purchase Receipt {off[2]} / {on[2]} (+{on[2] - off[2]}), "
			f"Delivery Note {off[3]} / {on[3]} (+{on[3] - off[3]})"
		)
	frappe.db.sql = real_sql
	frappe.destroy()


if __name__ == "__main__":
	main()
