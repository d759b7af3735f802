"""The preview of a reclassification and the Inventory Account Balance report over a large stock
ledger: 200,000 stock ledger entries over 2,000 items in 10 item groups and 50 warehouses.

Run from the bench's sites folder with the bench's Python, after scripts/run-tests has installed
the app:  cd $FRAPPE_BENCH/sites && ../env/bin/python /path/to/repo/benchmarks/reclassification.py

The company ("PIP Bench Reclass Co", perpetual, the app on) gets its items and stock ledger by bulk
SQL inserts (tests/integration/bulk_history.py), at 50,000 and then 200,000 entries (SIZES). At each size
it times, median of ROUNDS (default 5): the preview of an item-group rule that moves a tenth of
the stock (`changes.planned_moves`, what saving a reclassification does), and the report; with
the Python memory each allocates at its peak. Both read the ledger with one aggregate query, so
memory follows the (item, warehouse) pairs, not the entries. Target: each under 5 s.
Everything written is deleted at the end.
"""

import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import frappe
from frappe.utils import nowdate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.bulk_history import insert_rows, insert_stock_ledger  # noqa: E402

COMPANY, ABBR = "PIP Bench Reclass Co", "PBR"
ITEMS, GROUPS, WAREHOUSES = 2_000, 10, 50
SIZES = [int(s) for s in os.environ.get("SIZES", "50000,200000").split(",")]
ROUNDS = int(os.environ.get("ROUNDS", "5"))


def main():
	frappe.init(site=os.environ.get("FRAPPE_SITE", "test_site"), sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	from perpetual_inventory_plus.perpetual_inventory_plus.report.inventory_account_balance.inventory_account_balance import execute
	from perpetual_inventory_plus.reclassification.changes import planned_moves, rule_change

	from tests.integration.factory import enable_app_for, ensure_account, ensure_company, ensure_item_group, ensure_warehouse

	random.seed(11)
	ensure_company(COMPANY, ABBR)
	stock_assets = f"Stock Assets - {ABBR}"
	region = ensure_warehouse(COMPANY, "Bench Region", is_group=1, account=ensure_account(COMPANY, "Bench Region Stock", stock_assets))
	warehouses = [
		ensure_warehouse(
			COMPANY,
			f"Bench WH {i:02d}",
			parent=region if i % 2 else None,
			account=None if i % 2 else ensure_account(COMPANY, f"Bench Stock {i:02d}", stock_assets),
		)
		for i in range(WAREHOUSES)
	]
	groups = [ensure_item_group(f"PBR Group {g}") for g in range(GROUPS)]
	rule_account = ensure_account(COMPANY, "Bench Rule Stock", stock_assets)
	enable_app_for(COMPANY)
	frappe.db.commit()
	rule = frappe.new_doc("Inventory Account Rule")
	rule.update({"company": COMPANY, "account": rule_account, "item_group": groups[3]})
	rule.name = "bench rule"
	try:
		_items(groups)
		written = 0
		print(f"{'SLE':>9} {'pairs':>6} {'moves':>6} {'preview s':>9} {'MiB':>6} {'report s':>9} {'MiB':>6}")
		for size in SIZES:
			insert_stock_ledger("PBR", COMPANY, written, size, ITEMS, warehouses, (1, 2, 3, 5), nowdate())
			written = size
			frappe.db.commit()
			found, preview_s, preview_mib = measure(lambda: planned_moves(rule_change(rule)))
			result, report_s, report_mib = measure(lambda: execute({"company": COMPANY}))
			pairs = frappe.db.sql(
				"select count(*) from (select 1 from `tabStock Ledger Entry` where company = %s group by item_code, warehouse) t", COMPANY
			)[0][0]
			print(f"{size:>9} {pairs:>6} {len(found):>6} {preview_s:>9.2f} {preview_mib:>6.1f} {report_s:>9.2f} {report_mib:>6.1f}")
	finally:
		_delete()


def measure(call):
	"""(last result, median seconds of ROUNDS runs, peak MiB of one run) after a warm-up run."""
	call()
	tracemalloc.start()
	result = call()
	peak = tracemalloc.get_traced_memory()[1] / 2**20
	tracemalloc.stop()
	seconds = []
	for _ in range(ROUNDS):
		start = time.perf_counter()
		result = call()
		seconds.append(time.perf_counter() - start)
	return result, statistics.median(seconds), peak


def _items(groups):
	now = frappe.utils.now()
	columns = ["name", "creation", "modified", "owner", "modified_by", "docstatus", "item_code", "item_name", "item_group",
		"stock_uom", "is_stock_item", "valuation_method"]
	rows = [(f"PBR-ITEM-{i:04d}", now, now, "Administrator", "Administrator", 0, f"PBR-ITEM-{i:04d}", f"PBR-ITEM-{i:04d}",
		groups[i % GROUPS], "Nos", 1, "FIFO") for i in range(ITEMS)]
	insert_rows("tabItem", columns, rows)


def _delete():
	frappe.db.rollback()
	for table in ("tabStock Ledger Entry", "tabItem"):
		frappe.db.sql(f"delete from `{table}` where name like 'PBR-%%'")
	settings = frappe.get_single("Perpetual Inventory Settings")
	settings.companies = [r for r in settings.companies if r.company != COMPANY]
	settings.save()
	frappe.db.commit()


if __name__ == "__main__":
	main()
