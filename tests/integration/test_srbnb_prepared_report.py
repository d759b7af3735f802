"""Issue 14 on a real site: the SRBNB Reconciliation of a company over the size threshold runs as a
Frappe Prepared Report when the Desk asks for it; a smaller company's, or one supplier's, runs
directly. The threshold is lowered here to the test company's size."""

import json
from unittest.mock import patch

import frappe
from frappe.core.doctype.prepared_report.prepared_report import generate_report, make_prepared_report
from frappe.desk.query_report import run
from frappe.utils import today

from perpetual_inventory_plus.srbnb import prepared

from .test_srbnb_reconciliation import COMPANY, REPORT, SUPPLIER, company, receipt, srbnb_company  # noqa: F401

RUN = "frappe.desk.query_report.run"


def desk_run(**filters):
	"""The report as the Desk asks for it: the whitelisted method (after the apps' overrides), with
	the request's arguments, cmd among them."""
	method = frappe.get_attr(frappe.override_whitelisted_method(RUN))
	filters = json.dumps({"company": COMPANY, "as_of_date": today(), **filters})
	return frappe.call(method, report_name=REPORT, filters=filters, cmd=RUN)


def receipts_of_company():
	return frappe.db.count("Purchase Receipt", {"company": COMPANY, "docstatus": 1})


def as_stored(value):
	"""A direct result as a prepared report stores it (JSON: dates as text)."""
	return json.loads(frappe.as_json(value))


def test_a_large_company_is_a_prepared_report_and_its_result_is_the_direct_one(company):
	receipt()
	receipt(qty=1)
	with patch.object(prepared, "PREPARED_FROM_RECEIPTS", receipts_of_company() - 1):
		queued = desk_run()
		assert queued["prepared_report"] and queued["doc"] is None and "result" not in queued

		filters = {"company": COMPANY, "as_of_date": today()}
		name = make_prepared_report(REPORT, filters)["name"]
		assert frappe.db.get_value("Prepared Report", name, "status") == "Queued"
		progress = []
		# the job, as the worker runs it; its commits held back so that the test is rolled back
		with (
			patch.object(frappe.db, "commit"),
			patch.object(prepared, "get_current_job", return_value=object()),
			patch.object(frappe, "publish_progress", lambda percent, **_: progress.append(round(percent))),
		):
			generate_report(name)
		assert frappe.db.get_value("Prepared Report", name, "status") == "Completed"
		assert progress == [0, 33, 67, 100]

		stored = desk_run()
		assert stored["prepared_report"] and stored["doc"].name == name
		direct = run(REPORT, filters)  # Python calling frappe's run is not routed: it runs directly
		assert "prepared_report" not in direct
		for part in ("result", "report_summary", "chart", "message"):
			assert stored[part] == as_stored(direct[part])

		# one supplier is read by index: directly, even for a large company
		assert "prepared_report" not in desk_run(supplier=SUPPLIER)
	frappe.get_doc("File", {"attached_to_doctype": "Prepared Report", "attached_to_name": name}).delete()


def test_a_small_company_runs_directly(company):
	receipt()
	with patch.object(prepared, "PREPARED_FROM_RECEIPTS", receipts_of_company()):
		result = desk_run()
	assert "prepared_report" not in result
	assert result["report_summary"] == run(REPORT, {"company": COMPANY, "as_of_date": today()})["report_summary"]
