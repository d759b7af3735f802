"""Issue 14 on a real site: the migration of a periodic company with thousands of stock ledger
entries and more open receipts than ERPNext submits in a request (its Submission Queue takes a
journal of over 100 lines) executes whole, in its own transaction. The history is written
straight into ERPNext's tables (bulk_history.py, as the benchmark does); what each account must
hold is worked out from those rows here, not by the migration's code."""

import random

import frappe
import pytest
from frappe.utils import flt, getdate, nowdate

from .bulk_history import insert_periodic_receipts, insert_stock_ledger
from .factory import ensure_account, ensure_company, ensure_party, ensure_warehouse, submit_and_execute

COMPANY, A = "PIP Periodic Scale Co", "PPS"
STOCK_ENTRIES, RECEIPTS, OPEN_EVERY, ITEMS = 3000, 480, 4, 40


def acc(name):
	return f"{name} - {A}"


@pytest.fixture(scope="module")
def scale(site):
	"""The company and its warehouses, each resolving to a known account: its own, its parent's,
	or the company default the migration sets."""
	ensure_company(COMPANY, A, perpetual=0)
	region = ensure_warehouse(COMPANY, "Scale Region", is_group=1, account=ensure_account(COMPANY, "Scale Region Stock", acc("Stock Assets")))
	resolves_to = {
		ensure_warehouse(COMPANY, "Scale Own", account=ensure_account(COMPANY, "Scale Own Stock", acc("Stock Assets"))): acc("Scale Own Stock"),
		ensure_warehouse(COMPANY, "Scale North", parent=region): acc("Scale Region Stock"),
		ensure_warehouse(COMPANY, "Scale South", parent=region): acc("Scale Region Stock"),
		f"Stores - {A}": acc("Stock In Hand"),
	}
	supplier = ensure_party("Supplier", "PIP Scale Supplier")
	frappe.db.commit()
	return frappe._dict(resolves_to=resolves_to, supplier=supplier)


@pytest.fixture(autouse=True)
def no_commit(monkeypatch):
	monkeypatch.setattr(frappe.db, "commit", lambda *a, **k: None)


def balance(account, on):
	return flt(
		frappe.db.sql(
			"select sum(debit) - sum(credit) from `tabGL Entry` where account = %s and is_cancelled = 0 and posting_date <= %s",
			(account, on),
		)[0][0],
		2,
	)


def test_a_migration_with_hundreds_of_open_receipts_executes_whole(scale):
	random.seed(14)
	cutover = getdate(nowdate())
	warehouses = list(scale.resolves_to)
	insert_stock_ledger(A, COMPANY, 0, STOCK_ENTRIES, ITEMS, warehouses, (1, 2, 3, 5, -1, -2), cutover)
	opened = insert_periodic_receipts(A, COMPANY, scale.supplier, RECEIPTS, OPEN_EVERY, ITEMS, warehouses, cutover)
	assert len(opened) > 100

	migration = frappe.get_doc(
		{
			"doctype": "Perpetual Inventory Migration",
			"company": COMPANY,
			"cutover_date": cutover,
			"default_inventory_account": acc("Stock In Hand"),
		}
	).insert()
	doc = submit_and_execute(migration)

	assert doc.status == "Executed", doc.execution_log
	assert frappe.db.get_value("Company", COMPANY, "enable_perpetual_inventory") == 1
	srbnb = acc("Stock Received But Not Billed")
	for journal in (doc.sync_journal_entry, doc.srbnb_journal_entry):
		# submitted here, in the migration's transaction, not left to ERPNext's Submission Queue
		assert frappe.db.get_value("Journal Entry", journal, "docstatus") == 1
		assert not frappe.db.exists("Submission Queue", {"ref_docname": journal})
		debit, credit = frappe.db.sql(
			"select sum(debit), sum(credit) from `tabGL Entry` where voucher_no = %s and is_cancelled = 0", journal
		)[0]
		assert flt(debit, 2) == flt(credit, 2) > 0

	# one SRBNB credit line per open receipt, each what the history left open of it
	lines = frappe.get_all(
		"Journal Entry Account",
		{"parent": doc.srbnb_journal_entry, "account": srbnb},
		["user_remark", "credit_in_account_currency", "debit_in_account_currency"],
	)
	assert {line.user_remark: line.credit_in_account_currency for line in lines} == {
		f"Purchase Receipt {receipt}": value for receipt, value in opened.items()
	}
	assert not any(line.debit_in_account_currency for line in lines)
	assert balance(srbnb, cutover) == -flt(sum(opened.values()), 2)

	# every inventory account holds the stock value of the warehouses that resolve to it
	value = {}
	for warehouse, stock_value in frappe.db.sql(
		"select warehouse, sum(stock_value_difference) from `tabStock Ledger Entry` where company = %s and is_cancelled = 0 group by warehouse",
		COMPANY,
	):
		account = scale.resolves_to[warehouse]
		value[account] = flt(value.get(account, 0) + flt(stock_value), 2)
	assert len(value) == 3
	for account, stock_value in value.items():
		assert balance(account, cutover) == stock_value, account
