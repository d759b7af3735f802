"""Issue 5 on a real site: the SRBNB Reconciliation report, its stored runs and the daily job.

Every figure is worked out here from the documents the test submits, and the summary is checked
against the SRBNB account's GL read straight from the GL Entry table."""

from unittest.mock import patch

import frappe
import pytest
from frappe.utils import flt, today

from .factory import enable_app_for, ensure_company, ensure_item, ensure_item_group, ensure_party
from .stock_documents import purchase_receipt

COMPANY = "PIP SRBNB Co"
A = "PSC"
SUPPLIER = "PIP SRBNB Supplier"
EUR_SUPPLIER = "PIP SRBNB EUR Supplier"
ITEM = "PIP-SRBNB-ITEM"
# The company a user restricted away from COMPANY may see (the permission test).
OTHER_COMPANY = "PIP Posting Co"
STORES = f"Stores - {A}"
SRBNB = f"Stock Received But Not Billed - {A}"
REPORT = "SRBNB Reconciliation"
RUN = "SRBNB Reconciliation Run"
JOB = "perpetual_inventory_plus.srbnb.runs.run_for_enabled_companies"


@pytest.fixture(scope="module")
def srbnb_company(site):
	ensure_company(COMPANY, A)
	ensure_company(OTHER_COMPANY, "PPC")  # created here: a new company commits, which no test may do
	ensure_item_group("PIP Products")
	ensure_item(ITEM, "PIP Products")
	ensure_party("Supplier", SUPPLIER)
	ensure_eur_supplier()
	frappe.db.commit()
	return COMPANY


def ensure_eur_supplier():
	"""A supplier billed in EUR: ERPNext wants its payable account in the invoice's currency."""
	account = f"Creditors EUR - {A}"
	if not frappe.db.exists("Account", account):
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": "Creditors EUR",
				"parent_account": f"Accounts Payable - {A}",
				"company": COMPANY,
				"account_type": "Payable",
				"account_currency": "EUR",
			}
		).insert()
	if not frappe.db.exists("Supplier", EUR_SUPPLIER):
		frappe.get_doc(
			{
				"doctype": "Supplier",
				"supplier_name": EUR_SUPPLIER,
				"supplier_group": "All Supplier Groups",
				"default_currency": "EUR",
				"accounts": [{"company": COMPANY, "account": account}],
			}
		).insert()


@pytest.fixture
def company(srbnb_company):
	enable_app_for(COMPANY, reconcile_srbnb=1)
	return COMPANY


@pytest.fixture
def any_invoice_rate():
	"""Invoices at another rate than their receipt's for one test: Buying Settings' Maintain Same
	Rate off and, since erpnext 15.x refuses invoices above the receipt's amount by more than
	Accounts Settings' Over Billing Allowance (5% here), that allowance raised; both back after."""
	before = frappe.db.get_single_value("Buying Settings", "maintain_same_rate")
	allowance = frappe.db.get_single_value("Accounts Settings", "over_billing_allowance")
	frappe.db.set_single_value("Buying Settings", "maintain_same_rate", 0)
	frappe.db.set_single_value("Accounts Settings", "over_billing_allowance", 50)
	yield
	frappe.db.set_single_value("Buying Settings", "maintain_same_rate", before)
	frappe.db.set_single_value("Accounts Settings", "over_billing_allowance", allowance)


def receipt(qty=10, rate=200, **fields):
	return purchase_receipt([(ITEM, qty, rate, STORES)], **{"company": COMPANY, "supplier": SUPPLIER, **fields})


def invoice_for(pr, qty=None, rate=None, taxes=(), **fields):
	from erpnext.stock.doctype.purchase_receipt.purchase_receipt import make_purchase_invoice

	doc = make_purchase_invoice(pr.name)
	for row in doc.items:
		row.qty = qty if qty is not None else row.qty
		row.rate = rate if rate is not None else row.rate
	doc.update(fields)
	for tax in taxes:
		doc.append("taxes", tax)
	doc.insert()
	doc.submit()
	return doc


def srbnb_gl_balance():
	"""The account's credit balance, straight from the GL, as the trial balance shows it."""
	return flt(
		frappe.db.sql(
			"""select sum(credit) - sum(debit) from `tabGL Entry`
			where account = %s and is_cancelled = 0 and posting_date <= %s""",
			(SRBNB, today()),
		)[0][0],
		2,
	)


def srbnb_of(voucher_type, voucher_no):
	return flt(
		frappe.db.sql(
			"""select sum(debit) - sum(credit) from `tabGL Entry`
			where account = %s and voucher_type = %s and voucher_no = %s and is_cancelled = 0""",
			(SRBNB, voucher_type, voucher_no),
		)[0][0],
		2,
	)


def run_report(**filters):
	from frappe.desk.query_report import run

	result = run(REPORT, {"company": COMPANY, "as_of_date": today(), **filters})
	summary = {figure["label"]: figure["value"] for figure in result["report_summary"]}
	rows = [row for row in result["result"] if isinstance(row, dict) and row.get("voucher_no")]
	return rows, summary, result


def row_of(rows, voucher_no, detail=None):
	[row] = [r for r in rows if r["voucher_no"] == voucher_no and (detail is None or r["detail"] == detail)]
	return row


def figures(row):
	return row["open_amount"], row["gl_balance"], row["difference"], row["reason"]


def assert_ties(summary, total_open, explained=0, unexplained=0):
	gl = srbnb_gl_balance()
	assert summary["SRBNB Balance (GL)"] == gl
	assert (summary["Total Open"], summary["Explained Difference"], summary["Unexplained Remainder"]) == (
		total_open,
		explained,
		unexplained,
	)
	assert flt(total_open + explained + unexplained, 2) == gl


def test_unbilled_receipt_is_open_in_full_and_ties_to_the_gl(company):
	pr = receipt()
	rows, summary, result = run_report()
	row = row_of(rows, pr.name)
	assert (row["received_qty"], row["received_amount"], row["billed_qty"]) == (10, 2000, 0)
	assert figures(row) == (2000, 2000, 0, "")
	assert srbnb_gl_balance() == 2000
	assert_ties(summary, total_open=2000)
	assert result["chart"]["data"]["datasets"][0]["values"] == [2000, 0, 0, 0]  # all of it 0-30 days old


def test_billed_six_of_ten_leaves_800_open_and_a_full_bill_leaves_nothing(company):
	partly, fully = receipt(), receipt()
	invoice_for(partly, qty=6)
	invoice_for(fully)
	rows, summary, _ = run_report()
	assert figures(row_of(rows, partly.name)) == (800, 800, 0, "")
	assert row_of(rows, partly.name)["billed_qty"] == 6
	assert [r for r in rows if r["voucher_no"] == fully.name] == []  # cleared: shown only on request
	assert_ties(summary, total_open=800)
	rows, _, _ = run_report(include_cleared=1)
	assert figures(row_of(rows, fully.name)) == (0, 0, 0, "")
	assert row_of(rows, fully.name)["billed_qty"] == 10


def test_invoice_at_a_higher_rate_is_a_rate_difference_not_a_negative_open_amount(company, any_invoice_rate):
	pr = receipt()
	pi = invoice_for(pr, rate=210)
	assert srbnb_of("Purchase Invoice", pi.name) == 2100  # ERPNext debits the invoice amount
	rows, summary, _ = run_report()
	assert figures(row_of(rows, pr.name)) == (0, -100, -100, "Rate difference")
	assert_ties(summary, total_open=0, explained=-100)


def test_journal_entry_to_srbnb_is_a_line_of_its_own(company):
	receipt()
	je = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": COMPANY,
			"posting_date": today(),
			"accounts": [
				{"account": SRBNB, "credit_in_account_currency": 75},
				{"account": f"Cost of Goods Sold - {A}", "debit_in_account_currency": 75, "cost_center": f"Main - {A}"},
			],
		}
	).insert()
	je.submit()
	rows, summary, _ = run_report()
	assert figures(row_of(rows, je.name)) == (0, 75, 75, "Journal entry to SRBNB")
	assert row_of(rows, je.name)["voucher_type"] == "Journal Entry"
	assert_ties(summary, total_open=2000, explained=75)


def test_charge_whose_account_is_srbnb_is_a_tax_line_on_the_invoice(company):
	pr = receipt()
	charge = {
		"charge_type": "Actual",
		"category": "Total",
		"add_deduct_tax": "Add",
		"account_head": SRBNB,
		"description": "Freight booked to SRBNB",
		"tax_amount": 50,
		"cost_center": f"Main - {A}",
	}
	pi = invoice_for(pr, taxes=[charge])
	assert srbnb_of("Purchase Invoice", pi.name) == 2050
	rows, summary, _ = run_report(include_cleared=1)
	assert figures(row_of(rows, pr.name)) == (0, 0, 0, "")
	assert figures(row_of(rows, pi.name)) == (0, -50, -50, "Tax posted to SRBNB")
	assert_ties(summary, total_open=0, explained=-50)


def test_purchase_return_reduces_the_open_quantity(company):
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	pr = receipt()
	ret = make_return_doc("Purchase Receipt", pr.name)
	ret.items[0].qty = ret.items[0].received_qty = -3
	ret.insert()
	ret.submit()
	assert srbnb_of("Purchase Receipt", ret.name) == 600  # Dr SRBNB / Cr the warehouse account
	rows, summary, _ = run_report()
	row = row_of(rows, pr.name)
	assert (row["returned_qty"], row["returned_amount"]) == (3, 600)
	assert figures(row) == (1400, 1400, 0, "")
	assert [r for r in rows if r["voucher_no"] == ret.name] == []  # folded into the row it returns
	assert_ties(summary, total_open=1400)


def test_cancelled_invoice_reopens_the_receipt_and_gl_left_by_a_cancel_is_named(company):
	pr = receipt()
	pi = invoice_for(pr)
	pi.cancel()
	rows, summary, _ = run_report()
	assert figures(row_of(rows, pr.name)) == (2000, 2000, 0, "")
	assert [r for r in rows if r["voucher_no"] == pi.name] == []
	assert_ties(summary, total_open=2000)

	# A cancel whose SRBNB line was not reversed (as found on sites after a failed cancel).
	frappe.db.sql(
		"""update `tabGL Entry` set is_cancelled = 0
		where voucher_no = %s and account = %s and debit > 0""",
		(pi.name, SRBNB),
	)
	rows, summary, _ = run_report(only_differences=1)
	assert [r["voucher_no"] for r in rows] == [pi.name]
	assert figures(rows[0]) == (0, -2000, -2000, "Cancelled document")
	assert_ties(summary, total_open=2000, explained=-2000)


def test_invoice_without_receipt_is_named(company):
	pi = frappe.get_doc(
		{
			"doctype": "Purchase Invoice",
			"company": COMPANY,
			"supplier": SUPPLIER,
			"items": [{"item_code": ITEM, "qty": 2, "rate": 40}],
		}
	).insert()
	pi.submit()
	assert pi.items[0].expense_account == SRBNB
	rows, summary, _ = run_report()
	assert figures(row_of(rows, pi.name)) == (0, -80, -80, "Invoice without receipt")
	assert_ties(summary, total_open=0, explained=-80)


def test_foreign_currency_invoice_at_another_exchange_rate_is_cleared(company):
	pr = receipt(supplier=EUR_SUPPLIER, currency="EUR", conversion_rate=1.10)
	assert srbnb_of("Purchase Receipt", pr.name) == -2200
	pi = invoice_for(pr, conversion_rate=1.15)
	assert flt(pi.conversion_rate) == 1.15 and flt(pi.base_net_total) == 2300
	assert srbnb_of("Purchase Invoice", pi.name) == 2200  # the other 100 went to Exchange Gain/Loss
	assert [r for r in run_report()[0] if r["voucher_no"] in (pr.name, pi.name)] == []  # cleared
	rows, summary, _ = run_report(include_cleared=1)
	assert figures(row_of(rows, pr.name)) == (0, 0, 0, "")
	assert_ties(summary, total_open=0)


def test_filters_narrow_the_rows_not_the_summary(company):
	kept, other = receipt(), receipt(qty=1)
	rows, summary, _ = run_report(purchase_receipt=kept.name)
	assert [r["voucher_no"] for r in rows] == [kept.name]
	assert_ties(summary, total_open=2200)
	rows, _, _ = run_report(only_differences=1)
	assert rows == []
	assert {r["voucher_no"] for r in run_report(supplier=SUPPLIER, item_code=ITEM)[0]} == {kept.name, other.name}


# The daily job ------------------------------------------------------------------------------------


@pytest.fixture
def alert_user(company):
	email = "srbnb.alert@example.com"
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": "SRBNB Alert", "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.add_roles("Accounts Manager")
	return email


def run_scheduled_job():
	"""The job as the scheduler runs it: its Scheduled Job Type's own execute(). That method commits;
	the commit is held back so that the test's transaction is still rolled back afterwards."""
	job = frappe.get_doc("Scheduled Job Type", {"method": JOB})
	assert job.frequency == "Daily"
	with patch.object(frappe.db, "commit"):
		job.execute()


def runs():
	return frappe.get_all(
		RUN,
		filters={"company": COMPANY},
		fields=["name", "started_by", "total_open", "gl_balance", "unexplained_remainder", "over_tolerance"],
		order_by="creation",
	)


def alerts(user):
	return frappe.get_all("Notification Log", filters={"for_user": user, "document_type": RUN}, pluck="document_name")


def test_daily_job_stores_a_run_and_alerts_only_over_the_tolerance(company, alert_user):
	enable_app_for(COMPANY, reconcile_srbnb=1, srbnb_tolerance=10, srbnb_notify_role="Accounts Manager")
	pr = receipt()
	invoice_for(pr, qty=6)

	run_scheduled_job()
	[first] = runs()
	assert (first.started_by, first.total_open, first.gl_balance, first.unexplained_remainder) == ("Scheduler", 800, 800, 0)
	assert not first.over_tolerance
	assert alerts(alert_user) == []

	# A Material Receipt whose difference account is SRBNB: nothing on the report can explain it.
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": COMPANY,
			"items": [{"item_code": ITEM, "qty": 1, "basic_rate": 12, "t_warehouse": STORES, "expense_account": SRBNB}],
		}
	).insert()
	entry.submit()
	assert srbnb_of("Stock Entry", entry.name) == -12

	run_scheduled_job()
	first, second = runs()
	assert (second.gl_balance, second.unexplained_remainder, second.over_tolerance) == (812, 12, 1)
	stored = frappe.get_doc(RUN, second.name)
	assert [(r.voucher_type, r.voucher_no, r.difference, r.reason, r.unexplained) for r in stored.rows] == [
		("Stock Entry", entry.name, 12, "Unexplained", 1)
	]
	assert alerts(alert_user) == [second.name]


def test_daily_job_skips_companies_not_turned_on(company, alert_user):
	enable_app_for(COMPANY, reconcile_srbnb=0)
	receipt()
	run_scheduled_job()
	assert runs() == []


def test_run_from_desk_stores_the_rows_with_a_difference(company, any_invoice_rate):
	from perpetual_inventory_plus.srbnb.runs import start_run

	pr = receipt()
	invoice_for(pr, rate=210)
	run = frappe.get_doc(RUN, start_run(COMPANY))
	assert (run.started_by, run.total_open, run.gl_balance, run.explained_difference) == ("Desk", 0, -100, -100)
	assert [(r.voucher_no, r.detail, r.difference, r.reason) for r in run.rows] == [
		(pr.name, pr.items[0].name, -100, "Rate difference")
	]
	run.tolerance = 5
	with pytest.raises(frappe.ValidationError, match="stored result"):
		run.save()


# Permissions --------------------------------------------------------------------------------------


def test_user_without_access_to_the_company_sees_nothing(company):
	from perpetual_inventory_plus.srbnb.runs import start_run

	pr = receipt()
	stored = start_run(COMPANY)
	email = "srbnb.other@example.com"
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": "Other Company", "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	frappe.get_doc("User", email).add_roles("Accounts User", "Accounts Manager")

	# With access to the company, the same user sees the report and the run.
	frappe.set_user(email)
	assert figures(row_of(run_report()[0], pr.name)) == (2000, 2000, 0, "")
	assert frappe.get_list(RUN, filters={"company": COMPANY}, pluck="name") == [stored]

	frappe.set_user("Administrator")
	frappe.get_doc(
		{"doctype": "User Permission", "user": email, "allow": "Company", "for_value": OTHER_COMPANY}
	).insert(ignore_permissions=True)
	frappe.set_user(email)
	with pytest.raises(frappe.PermissionError):
		run_report()
	with pytest.raises(frappe.PermissionError):
		start_run(COMPANY)
	assert frappe.get_list(RUN, filters={"company": COMPANY}) == []
	assert not frappe.has_permission(RUN, "read", doc=stored)
