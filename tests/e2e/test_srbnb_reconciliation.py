"""The SRBNB Reconciliation report in the Desk: filters applied, the summary ties out to the
account's GL, the chart renders, a row opens its Purchase Receipt; a run stored from the report,
and one the daily job stored, are listed and open.

The receipt (desk_data.srbnb_setup): 10 x 200, billed 6, so 4 x 200 is open."""

# ruff: noqa: E402  (the layer skips itself before importing frappe)
from .availability import require

require()

import frappe
import pytest
from frappe.utils import flt, nowdate

from ..integration.factory import enable_app_for
from .desk import amount
from .desk_data import COMPANY, ITEM, SRBNB_SUPPLIER, acc

REPORT = "SRBNB Reconciliation"
RUN = "SRBNB Reconciliation Run"
JOB = "perpetual_inventory_plus.srbnb.runs.run_for_enabled_companies"
QTY, RATE, BILLED = 10, 200, 6


def srbnb_credit_balance() -> float:
	"""The account's balance straight from the GL Entry table, as the report's summary states it."""
	frappe.db.rollback()  # a new snapshot: the Desk's server wrote what came since
	return flt(
		frappe.db.sql(
			"""select sum(credit) - sum(debit) from `tabGL Entry`
			where account = %s and is_cancelled = 0 and posting_date <= %s""",
			(acc("Stock Received But Not Billed"), nowdate()),
		)[0][0],
		2,
	)


@pytest.fixture(scope="module")
def report(desk, desk_data):
	"""The report filtered as a user filters it: the company, then the receipt."""
	receipt = desk_data["srbnb receipt"]
	desk.open_report(REPORT)
	desk.set_report_filter("company", COMPANY)
	desk.set_report_filter("purchase_receipt", receipt)
	rows = desk.await_report_rows(
		lambda rows: [r.get("Voucher") for r in rows] == [receipt], f"the report does not show only {receipt}"
	)
	return frappe._dict(receipt=receipt, rows=rows)


def test_the_filtered_row_shows_what_is_open_by_quantity(desk, report):
	(row,) = report.rows
	assert (row["Voucher Type"], row["Supplier"], row["Item"]) == ("Purchase Receipt", SRBNB_SUPPLIER, ITEM)
	figures = {
		label: amount(row[label])
		for label in (
			"Received Qty", "Received Amount", "Billed Qty", "Billed Amount", "Open Qty", "Open Amount",
			"SRBNB GL Balance", "Difference",
		)
	}
	assert figures == {
		"Received Qty": QTY,
		"Received Amount": QTY * RATE,
		"Billed Qty": BILLED,
		"Billed Amount": BILLED * RATE,
		"Open Qty": QTY - BILLED,
		"Open Amount": (QTY - BILLED) * RATE,
		"SRBNB GL Balance": (QTY - BILLED) * RATE,
		"Difference": 0,
	}
	assert row["Reason"] == ""


def test_the_summary_ties_out_to_the_gl_and_the_chart_renders(desk, report):
	summary = {label: amount(value) for label, value in desk.report_summary().items()}
	gl = srbnb_credit_balance()
	assert gl >= (QTY - BILLED) * RATE  # the receipt's open 800 is in it
	assert summary["SRBNB Balance (GL)"] == gl
	assert summary["Unexplained Remainder"] == 0
	assert round(summary["Total Open"] + summary["Explained Difference"], 2) == gl
	chart = desk.report_chart()
	assert "0-30 days" in chart["text"]  # the receipt's age bucket, on the x axis
	# its open amount is the tallest bar, the first bucket's
	assert chart["heights"][0] == max(chart["heights"]) > 0


def test_a_row_opens_its_purchase_receipt(desk, report):
	desk.click_report_link(report.receipt)
	assert desk.await_form("Purchase Receipt", report.receipt) == report.receipt
	assert desk.shown("supplier") == SRBNB_SUPPLIER


def test_a_run_stored_from_the_report_is_listed_and_opens(desk, report):
	desk.open_report(REPORT)
	desk.set_report_filter("company", COMPANY)
	desk.await_report_rows(
		lambda rows: report.receipt in [r.get("Voucher") for r in rows], f"the report does not show {report.receipt}"
	)
	summary = {label: amount(value) for label, value in desk.report_summary().items()}
	desk.click_custom_button("Store as Reconciliation Run")
	run = desk.await_form(RUN)
	assert desk.shown("company") == COMPANY
	stored = {
		"Total Open": amount(desk.shown("total_open")),
		"SRBNB Balance (GL)": amount(desk.shown("gl_balance")),
		"Explained Difference": amount(desk.shown("explained_difference")),
		"Unexplained Remainder": amount(desk.shown("unexplained_remainder")),
	}
	assert stored == summary
	primary = desk.driver.find_elements("css selector", ".page-head .primary-action")
	assert not [button for button in primary if button.is_displayed()]  # a stored record offers no Save

	desk.open_list(RUN)
	assert desk.open_from_list(RUN, run) == run  # listed, and opens
	assert desk.shown("srbnb_account") == acc("Stock Received But Not Billed")


def test_a_run_the_daily_job_stored_is_listed_and_opens(desk, desk_data):
	"""The job runs as the scheduler runs it (its Scheduled Job Type, which commits)."""
	frappe.db.rollback()
	enable_app_for(COMPANY, posting_guard="Block Submit", reconcile_srbnb=1)
	frappe.get_doc("Scheduled Job Type", {"method": JOB}).execute()
	run = frappe.get_last_doc(RUN, {"company": COMPANY, "started_by": "Scheduler"})

	desk.open_list(RUN)
	assert desk.open_from_list(RUN, run.name) == run.name  # listed, and opens
	assert (desk.shown("company"), desk.shown("started_by")) == (COMPANY, "Scheduler")
	assert amount(desk.shown("gl_balance")) == srbnb_credit_balance()
	assert amount(desk.shown("total_open")) == run.total_open
