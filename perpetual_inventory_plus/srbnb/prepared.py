"""The SRBNB Reconciliation of a large company runs as a Frappe Prepared Report: in the background
on the long queue, its result stored per filters and user and shown again until rebuilt, with its
progress shown to the user who queued it. A small company's, or one supplier's (read by index),
runs directly.

Frappe decides this per report, not per run (the Report's `prepared_report` check box, which
frappe also ticks for good once a run takes over 15 s). So the Desk's call that runs a query report
(`frappe.desk.query_report.run`) is overridden (hooks.py, `override_whitelisted_methods`): for this
report and a large company it answers as frappe does for a prepared report, from frappe's own
functions; every other call goes to frappe's unchanged. Python that calls frappe's `run` itself
(the tests, Report.get_data) is not routed here and runs directly.
"""

import frappe
from frappe import _
from frappe.desk import query_report
from frappe.utils import sbool
from rq import get_current_job

REPORT = "SRBNB Reconciliation"
# Submitted Purchase Receipts of the company from which the report runs in the background: the
# whole-company report reads about 1 s per 50,000 one-row receipts on the benchmark machine
# (benchmarks/srbnb_reconciliation.py), and grows with them; a web request should not wait for it.
PREPARED_FROM_RECEIPTS = 50_000


@frappe.whitelist()
def run(report_name, filters=None, user=None, ignore_prepared_report=False, **kwargs):
	"""frappe.desk.query_report.run, but a large company's SRBNB Reconciliation as a prepared report."""
	if report_name == REPORT and not sbool(ignore_prepared_report) and runs_prepared(filters):
		return prepared_result(report_name, filters, user or frappe.session.user)
	# frappe.call passes on only the arguments frappe's run takes (the request's cmd is not one)
	return frappe.call(
		query_report.run, report_name=report_name, filters=filters, user=user,
		ignore_prepared_report=ignore_prepared_report, **kwargs,
	)  # fmt: skip


def runs_prepared(filters) -> bool:
	filters = frappe._dict(frappe.parse_json(filters) or {})
	if not filters.company or filters.supplier:
		return False
	return frappe.db.count("Purchase Receipt", {"company": filters.company, "docstatus": 1}) > PREPARED_FROM_RECEIPTS


def prepared_result(report_name: str, filters, user: str) -> dict:
	"""What frappe's run answers for a prepared report: the user's last completed result for these
	filters (or the one named), else none, and the Desk offers to generate it."""
	filters = dict(frappe.parse_json(filters) or {})
	query_report.validate_filters_permissions(report_name, filters, user)
	report = query_report.get_report_doc(report_name)
	result = query_report.get_prepared_report_result(report, filters, filters.pop("prepared_report_name", None), user)
	result["add_total_row"] = report.add_total_row and not result.get("skip_total_row", False)
	return result


def show_progress(step: int, steps: int, description: str) -> None:
	"""In a prepared report's background job, the Desk of the user who queued it shows a progress bar."""
	if get_current_job():
		frappe.publish_progress(step * 100 / steps, title=_(REPORT), description=description)
