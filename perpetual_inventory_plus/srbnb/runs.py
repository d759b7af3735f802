"""SRBNB Reconciliation Runs: started from Desk or by the daily job, which alerts a role when a
company's unexplained remainder is over its tolerance."""

import frappe
from frappe import _
from frappe.utils import fmt_money, today

from perpetual_inventory_plus.notifications import notify_role
from perpetual_inventory_plus.settings import company_settings
from perpetual_inventory_plus.srbnb.reconcile import check_company_access, reconcile_company

RUN = "SRBNB Reconciliation Run"


@frappe.whitelist()
def start_run(company: str, as_of_date: str | None = None) -> str:
	check_company_access(company)
	frappe.has_permission(RUN, "create", throw=True)
	return store_run(company, as_of_date, "Desk").name


def store_run(company: str, as_of_date=None, started_by: str = "Desk"):
	return frappe.get_doc(
		{"doctype": RUN, "company": company, "as_of_date": as_of_date or today(), "started_by": started_by}
	).insert()


def run_for_enabled_companies() -> None:
	"""The daily job: one run per company with Daily SRBNB Reconciliation on. A company that fails
	is rolled back alone and logged, so that the others still run."""
	settings = frappe.get_single("Perpetual Inventory Settings")
	for row in settings.companies:
		if not row.reconcile_srbnb:
			continue
		frappe.db.savepoint("srbnb_run")
		try:
			run = store_run(row.company, started_by="Scheduler")
			if run.over_tolerance and row.srbnb_notify_role:
				notify(run, row.srbnb_notify_role)
		except Exception:
			frappe.db.rollback(save_point="srbnb_run")
			frappe.log_error(title=_("SRBNB Reconciliation failed for {0}").format(row.company))


def notify(run, role: str) -> None:
	remainder = fmt_money(run.unexplained_remainder, currency=run.currency)
	tolerance = fmt_money(run.tolerance, currency=run.currency)
	notify_role(
		role,
		run.company,
		_("SRBNB of {0}: unexplained remainder {1} is over the tolerance of {2}").format(run.company, remainder, tolerance),
		_("Run {0} as of {1} could not explain {2} of the Stock Received But Not Billed balance.").format(
			run.name, run.as_of_date, remainder
		),
		document_type=RUN,
		document_name=run.name,
	)


def fill_run(run):
	"""A new run's figures and its rows with a difference, reconciled as of its date."""
	check_company_access(run.company)
	account, result = reconcile_company(run.company, run.as_of_date)
	settings = company_settings(run.company)
	run.srbnb_account = account
	run.tolerance = settings.srbnb_tolerance if settings else 0
	run.total_open = result.total_open
	run.gl_balance = result.gl_balance
	run.explained_difference = result.explained_difference
	run.unexplained_remainder = result.unexplained_remainder
	run.over_tolerance = abs(result.unexplained_remainder) > (run.tolerance or 0)
	run.rows = []
	for line in result.lines:
		if line.difference:
			run.append(
				"rows",
				{
					"voucher_type": line.voucher_type,
					"voucher_no": line.voucher_no,
					"detail": line.detail,
					"posting_date": line.posting_date,
					"supplier": line.supplier,
					"item_code": line.item_code,
					"open_amount": line.open_amount,
					"gl_balance": line.gl_balance,
					"difference": line.difference,
					"reason": ", ".join(line.reasons),
					"unexplained": 0 if line.explained else 1,
				},
			)
