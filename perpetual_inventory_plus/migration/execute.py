"""Carrying out a migration plan, all or nothing, in one transaction (job.py runs it for the
Desk, the bench command and the patch)."""

import frappe
from frappe import _
from frappe.utils import flt, formatdate, now_datetime

from perpetual_inventory_plus.accounts.ledgers import currency_precision
from perpetual_inventory_plus.migration.core import DEFAULT_FIELDS, SET, MigrationPlan
from perpetual_inventory_plus.migration.plan import compute_plan, nothing_to_do, plan_tables, throw_blockers


def execute(doc, progress=None) -> MigrationPlan:
	"""Carry out `doc`'s migration, all or nothing: company defaults, warehouse accounts, the sync
	and Stock Received But Not Billed journal entries, the switch, and the record on `doc`.

	The plan is computed again, in this transaction, and must equal the one `doc` shows: what
	executes is what the user read. Everything runs in the caller's transaction behind a
	savepoint: a failure anywhere undoes all of it and is raised again. `progress(percent,
	description)` hears of each step (job.py keeps the status around it).
	"""
	report = progress or (lambda percent, description: None)
	reason = nothing_to_do(doc.company)
	if reason:
		frappe.throw(reason, title=_("Nothing To Do"))

	savepoint = "perpetual_inventory_migration"
	frappe.db.savepoint(savepoint)
	try:
		plan = compute_plan(
			doc.company,
			doc.cutover_date,
			doc.difference_account,
			chosen_defaults(doc),
			progress=lambda step, steps: report(40 * step // steps, _("Planning")),
		)
		throw_blockers(plan, doc.company)
		throw_if_changed(doc, plan)
		report(45, _("Company defaults"))
		done = []
		for default in plan.defaults:
			if default.action == SET:
				frappe.db.set_value("Company", doc.company, default.fieldname, default.value)
				done.append(_("{0} set to {1}").format(default.label, default.value))
		report(50, _("Warehouse accounts"))
		done += _create_warehouse_accounts(doc.company)
		report(55, _("Stock sync journal: {0} lines").format(len(plan.sync_lines)))
		sync = _journal_entry(doc, plan.sync_lines, _("stock accounts synced with the stock ledger"))
		report(65, _("Stock Received But Not Billed journal: {0} lines").format(len(plan.srbnb_lines)))
		srbnb = _journal_entry(doc, plan.srbnb_lines, _("Stock Received But Not Billed opened"))
		report(95, _("Switching perpetual inventory on"))
		frappe.db.set_value("Company", doc.company, "enable_perpetual_inventory", 1)
		done.append(_("perpetual inventory switched on"))
		done.append(_("stock transactions up to {0} frozen").format(formatdate(doc.cutover_date)))
		doc.db_set(
			{
				"status": "Executed",
				"sync_journal_entry": sync,
				"srbnb_journal_entry": srbnb,
				"executed_on": now_datetime(),
				"execution_log": "\n".join(done),
			}
		)
		report(100, _("Executed"))
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		raise
	finally:
		_forget_company(doc.company)
	return plan


def throw_if_changed(doc, plan: MigrationPlan):
	"""Refuse a plan whose journals or defaults differ from those `doc` showed when it was
	submitted: something dated up to the cutover changed since."""
	tables = plan_tables(plan)
	places = currency_precision()
	for table, keys in (("defaults", ("company_field", "value", "action")), ("journal_lines", ("journal", "account", "debit", "credit", "remark"))):
		shown = [_row_key(row, keys, places) for row in doc.get(table)]
		planned = [_row_key(frappe._dict(row), keys, places) for row in tables[table]]
		if shown != planned:
			frappe.throw(
				_("The figures of {0} changed since its plan was shown (a document dated up to the cutover {1} was added, changed or cancelled): make a new migration to see the plan as it is now").format(
					doc.name, formatdate(doc.cutover_date)
				),
				title=_("Plan Changed"),
			)


def _row_key(row, keys, places):
	return tuple(flt(row.get(k), places) if k in ("debit", "credit") else (row.get(k) or None) for k in keys)


def chosen_defaults(doc) -> dict:
	return {f: doc.get(f) for f, _l, _t in DEFAULT_FIELDS if doc.get(f)}


def _create_warehouse_accounts(company) -> list[str]:
	"""Saving a warehouse with Create Account Under and no account gives it its account."""
	done = []
	for name in frappe.get_all(
		"Warehouse",
		filters={"company": company, "account": ("is", "not set"), "create_account_under": ("is", "set")},
		pluck="name",
		order_by="lft",
	):
		warehouse = frappe.get_doc("Warehouse", name)
		warehouse.save(ignore_permissions=True)
		done.append(_("account {0} created for warehouse {1}").format(warehouse.account, name))
	return done


def _journal_entry(doc, lines, purpose) -> str | None:
	if not lines:
		return None
	cost_center = doc.cost_center or frappe.get_cached_value("Company", doc.company, "cost_center")
	je = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": doc.company,
			"posting_date": doc.cutover_date,
			"user_remark": _("{0}: {1}").format(doc.name, purpose),
			"accounts": [
				{
					"account": line.account,
					"debit_in_account_currency": line.debit,
					"credit_in_account_currency": line.credit,
					"cost_center": cost_center,
					"user_remark": line.remark,
				}
				for line in lines
			],
		}
	)
	je.flags.ignore_permissions = True
	je.insert()
	# ERPNext's JournalEntry.submit hands a journal of over 100 lines to the Submission Queue, a
	# job of its own with its own transaction; the migration's journals must be part of its one.
	je._submit()
	return je.name


def _forget_company(company):
	"""ERPNext caches the perpetual switch per request and the warehouse account map per company."""
	frappe.clear_document_cache("Company", company)
	getattr(frappe.local, "enable_perpetual_inventory", {}).pop(company, None)
	(frappe.flags.get("warehouse_account_map") or {}).pop(company, None)

