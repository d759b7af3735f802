"""Carrying out a migration plan, all or nothing, from the Desk, the bench command or the patch."""

import frappe
from frappe import _
from frappe.utils import formatdate, now_datetime, strip_html

from perpetual_inventory_plus.migration.core import DEFAULT_FIELDS, SET, MigrationPlan
from perpetual_inventory_plus.migration.plan import MIGRATION, compute_plan, nothing_to_do, throw_blockers


def execute(doc, plan: MigrationPlan | None = None, progress=None) -> MigrationPlan:
	"""Carry out `doc`'s migration, all or nothing: company defaults, warehouse accounts, the sync
	and Stock Received But Not Billed journal entries, the switch, and the record on `doc`.

	`plan` is the one just computed for `doc` in the same transaction, if any.
	Everything runs in the caller's transaction behind a savepoint: a failure anywhere undoes all
	of it and is raised again, whoever called (a Desk submit, the bench command, the patch).
	"""
	reason = nothing_to_do(doc.company)
	if reason:
		frappe.throw(reason, title=_("Nothing To Do"))

	savepoint = "perpetual_inventory_migration"
	frappe.db.savepoint(savepoint)
	try:
		plan = plan or compute_plan(
			doc.company, doc.cutover_date, doc.difference_account, chosen_defaults(doc), progress=progress
		)
		throw_blockers(plan, doc.company)
		done = []
		for default in plan.defaults:
			if default.action == SET:
				frappe.db.set_value("Company", doc.company, default.fieldname, default.value)
				done.append(_("{0} set to {1}").format(default.label, default.value))
		done += _create_warehouse_accounts(doc.company)
		sync = _journal_entry(doc, plan.sync_lines, _("stock accounts synced with the stock ledger"))
		srbnb = _journal_entry(doc, plan.srbnb_lines, _("Stock Received But Not Billed opened"))
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
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		raise
	finally:
		_forget_company(doc.company)
	return plan


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
	je.submit()
	return je.name


def _forget_company(company):
	"""ERPNext caches the perpetual switch per request and the warehouse account map per company."""
	frappe.clear_document_cache("Company", company)
	getattr(frappe.local, "enable_perpetual_inventory", {}).pop(company, None)
	(frappe.flags.get("warehouse_account_map") or {}).pop(company, None)


def execute_approved_migrations():
	"""Execute the migrations approved in Desk to run at the next `bench migrate`.

	Each in its own transaction: one that fails is marked Failed with the reason and the rest go
	on, so that a blocked migration never stops `bench migrate`."""
	for name in frappe.get_all(MIGRATION, filters={"docstatus": 1, "status": "Approved"}, pluck="name", order_by="creation"):
		doc = frappe.get_doc(MIGRATION, name)
		reason = nothing_to_do(doc.company)
		if reason:
			doc.db_set({"status": "Nothing To Do", "execution_log": reason})
			frappe.db.commit()
			continue
		try:
			execute(doc)
			frappe.db.commit()
		except Exception as error:
			frappe.db.rollback()
			doc.db_set({"status": "Failed", "execution_log": strip_html(str(error))})
			frappe.log_error(title=_("Perpetual inventory migration {0} failed").format(name), reference_doctype=MIGRATION, reference_name=name)
			frappe.db.commit()
