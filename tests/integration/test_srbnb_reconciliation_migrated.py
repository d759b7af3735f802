"""Issue 5 on a company moved from periodic to perpetual inventory (issue 4's migration): the
migration's opening line for each receipt is that receipt's SRBNB credit, so receipts migrated
correctly and billed after the cutover show no difference.

The history (committed once) is built under periodic inventory; the migration and everything after
it run inside the test and are rolled back. Every figure is worked out from the documents below."""

import frappe
import pytest
from erpnext.controllers.sales_and_purchase_return import make_return_doc
from erpnext.stock.doctype.purchase_receipt.purchase_receipt import make_purchase_invoice
from frappe.utils import flt, nowdate, today

from .factory import ensure_company, ensure_item, ensure_item_group, ensure_party, submit_and_execute
from .periodic_history import ITEM_A, ITEM_B, dated, day, invoice, receipt
from .stock_documents import SUPPLIER

COMPANY = "PIP SRBNB Migrated Co"
A = "PSM"
STORES = f"Stores - {A}"
SRBNB = f"Stock Received But Not Billed - {A}"
CUTOVER = -10  # days from today, after the whole history


@pytest.fixture(scope="module")
def history(site):
	"""Four receipts under periodic inventory, by posting order:
	PR1 10 x 200, 4 billed before the cutover: 6 x 200 = 1200 open at it;
	PR2 5 x 300, 1 returned before the cutover: 4 x 300 = 1200 open;
	PR3 two rows, A 3 x 100 and B 4 x 50, not billed: 500 open;
	PR4 10 x 20, billed in full before the cutover: nothing open, not opened."""
	ensure_company(COMPANY, A, perpetual=0)
	ensure_item_group("PIP Periodic Goods")
	ensure_item(ITEM_A, "PIP Periodic Goods")
	ensure_item(ITEM_B, "PIP Periodic Goods")
	ensure_party("Supplier", SUPPLIER)
	frappe.db.commit()
	names = frappe.get_all(
		"Purchase Receipt", {"company": COMPANY, "is_return": 0, "docstatus": 1}, pluck="name", order_by="posting_date"
	)
	if not names:
		pr1 = receipt(day(-30), [(ITEM_A, 10, 200, STORES)], company=COMPANY)
		partly = make_purchase_invoice(pr1.name)
		partly.items[0].qty = 4
		invoice(partly, day(-28))
		pr2 = receipt(day(-25), [(ITEM_B, 5, 300, STORES)], company=COMPANY)
		back = make_return_doc("Purchase Receipt", pr2.name)
		back.items[0].qty = back.items[0].received_qty = -1
		dated(back, day(-24)).submit()
		pr3 = receipt(day(-22), [(ITEM_A, 3, 100, STORES), (ITEM_B, 4, 50, STORES)], company=COMPANY)
		pr4 = receipt(day(-20), [(ITEM_B, 10, 20, STORES)], company=COMPANY)
		invoice(make_purchase_invoice(pr4.name), day(-19))
		frappe.db.commit()
		names = [pr1.name, pr2.name, pr3.name, pr4.name]
	return names


def migrate():
	doc = frappe.get_doc(
		{
			"doctype": "Perpetual Inventory Migration",
			"company": COMPANY,
			"cutover_date": day(CUTOVER),
			"default_inventory_account": f"Stock In Hand - {A}",
		}
	).insert()
	submit_and_execute(doc)
	assert doc.status == "Executed"
	return doc


def run_report(**filters):
	from frappe.desk.query_report import run

	result = run("SRBNB Reconciliation", {"company": COMPANY, "as_of_date": today(), **filters})
	summary = {figure["label"]: figure["value"] for figure in result["report_summary"]}
	rows = [row for row in result["result"] if isinstance(row, dict) and row.get("voucher_no")]
	return rows, summary


def srbnb_gl_balance():
	return flt(
		frappe.db.sql(
			"select sum(credit) - sum(debit) from `tabGL Entry` where account = %s and is_cancelled = 0",
			SRBNB,
		)[0][0],
		2,
	)


def by_row(rows):
	"""(receipt, item) -> (received, billed qty, billed amount, returned qty, open qty, open, GL, difference, reason)"""
	return {
		(row["voucher_no"], row["item_code"]): (
			row["received_amount"],
			row["billed_qty"],
			row["billed_amount"],
			row["returned_qty"],
			row["open_qty"],
			row["open_amount"],
			row["gl_balance"],
			row["difference"],
			row["reason"],
		)
		for row in rows
	}


def test_migrated_receipts_billed_after_the_cutover_show_no_difference(history):
	pr1, pr2, pr3, pr4 = history
	doc = migrate()
	openings = {row.purchase_receipt: row.open_value for row in doc.receipts}
	assert openings == {pr1: 1200, pr2: 1200, pr3: 500}
	assert srbnb_gl_balance() == 2900  # the opening journal: no receipt of its own posted to SRBNB

	# After the cutover: the rest of PR1 (6), and of PR3 all of row A and 1 of row B's 4.
	invoice(make_purchase_invoice(pr1), nowdate())
	later = make_purchase_invoice(pr3)
	later.items[1].qty = 1
	invoice(later, nowdate())
	assert srbnb_gl_balance() == 2900 - 1200 - 300 - 50

	rows, summary = run_report(include_cleared=1)
	assert by_row(rows) == {
		# billed amount: what billing posted to SRBNB, i.e. only the invoices after the cutover
		(pr1, ITEM_A): (2000, 10, 1200, 0, 0, 0, 0, 0, ""),
		(pr2, ITEM_B): (1500, 0, 0, 1, 4, 1200, 1200, 0, ""),
		(pr3, ITEM_A): (300, 3, 300, 0, 0, 0, 0, 0, ""),
		(pr3, ITEM_B): (200, 1, 50, 0, 3, 150, 150, 0, ""),
		(pr4, ITEM_B): (200, 10, 0, 0, 0, 0, 0, 0, ""),
	}
	assert not any(row["voucher_type"] == "Journal Entry" for row in rows)  # the opening is the receipts'
	assert summary["SRBNB Balance (GL)"] == srbnb_gl_balance() == 1350
	assert (summary["Total Open"], summary["Explained Difference"], summary["Unexplained Remainder"]) == (1350, 0, 0)

	# By default only the open rows are listed.
	rows, _ = run_report()
	assert sorted(by_row(rows)) == sorted([(pr2, ITEM_B), (pr3, ITEM_B)])


def test_a_receipt_the_migration_did_not_open_is_a_difference_and_the_summary_still_ties(history):
	"""PR2's row taken out of the migration's receipts (simulated by deleting it): PR2 is open 1200
	with no opening of its own, and the journal's 1200 for it is left to the journal."""
	_pr1, pr2, _pr3, _pr4 = history
	doc = migrate()
	frappe.db.sql(
		"delete from `tabPerpetual Inventory Migration Receipt` where parent = %s and purchase_receipt = %s",
		(doc.name, pr2),
	)
	rows, summary = run_report()
	assert by_row(rows)[(pr2, ITEM_B)][5:] == (1200, 0, -1200, "Unexplained")
	# the journal's 1200 for PR2 is now the journal's own
	[je] = [row for row in rows if row["voucher_type"] == "Journal Entry"]
	assert (je["voucher_no"], je["gl_balance"], je["reason"]) == (doc.srbnb_journal_entry, 1200, "Journal entry to SRBNB")
	assert summary["SRBNB Balance (GL)"] == srbnb_gl_balance() == 2900
	assert (summary["Total Open"], summary["Explained Difference"], summary["Unexplained Remainder"]) == (2900, 1200, -1200)
