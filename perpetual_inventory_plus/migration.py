"""Moving a company from periodic to perpetual inventory on the site: read the figures with
aggregate SQL, let the core plan, and execute the plan in one transaction.

The Desk document (Perpetual Inventory Migration), the bench command and the patch all come here:
`compute_plan` for the plan, `execute` to carry it out.
"""

from dataclasses import replace

import erpnext
import frappe
from frappe import _
from frappe.utils import formatdate, getdate, now_datetime, nowdate, strip_html

from perpetual_inventory_plus.account_facts import load_company_facts
from perpetual_inventory_plus.core.account_resolution import ResolutionError
from perpetual_inventory_plus.core.migration_plan import (
	DEFAULT_FIELDS,
	SET,
	MigrationPlan,
	ReceiptRow,
	StockPosition,
	Unresolved,
	build_plan,
	cutover_blockers,
	plan_defaults,
	plan_receipts,
	plan_stock,
)

MIGRATION = "Perpetual Inventory Migration"
CREATE_ACCOUNT_UNDER = "Create Account Under"


def precision() -> int:
	from erpnext.accounts.utils import get_currency_precision

	return get_currency_precision() or 2


def compute_plan(company, cutover, expense_account=None, chosen=None, progress=None) -> MigrationPlan:
	"""The plan for `company` as of `cutover`. It only reads: nothing on the site changes.

	`chosen` maps company default fields to accounts the user picked on the migration;
	`progress(step, total)` is told how far it got, for the bench command's progress bar.
	"""
	cutover = getdate(cutover)
	steps = 5
	report = progress or (lambda step, total: None)
	places = precision()

	current, candidates = _default_accounts(company)
	defaults = plan_defaults(current, chosen or {}, candidates)
	report(1, steps)

	positions = _stock_positions(company, cutover)
	report(2, steps)

	resolve, accounts = _resolver(company, defaults, {p.item for p in positions})
	stock = plan_stock(positions, resolve, _gl_balances(company, cutover, accounts), places)
	report(3, steps)

	receipts = plan_receipts(_receipt_rows(company, cutover), places)
	report(4, steps)

	srbnb = next(d.value for d in defaults if d.fieldname == "stock_received_but_not_billed")
	plan = build_plan(
		defaults,
		stock,
		receipts,
		srbnb_balance=_balance(company, srbnb, cutover) if srbnb else 0.0,
		expense_account=expense_account,
		extra_blockers=cutover_blockers(
			cutover.isoformat(), getdate(nowdate()).isoformat(), _entries_after(company, cutover)
		),
		precision=places,
	)
	report(5, steps)
	return plan


def _default_accounts(company):
	current = frappe.db.get_value("Company", company, [f for f, _l, _t in DEFAULT_FIELDS], as_dict=True)
	types = {t: f for f, _l, t in DEFAULT_FIELDS if t}
	candidates = {}
	for row in frappe.get_all(
		"Account",
		filters={"company": company, "is_group": 0, "disabled": 0, "account_type": ("in", list(types))},
		fields=["name", "account_type"],
		order_by="name",
	):
		candidates.setdefault(types[row.account_type], []).append(row.name)
	candidates["cost_center"] = frappe.get_all(
		"Cost Center", filters={"company": company, "is_group": 0, "disabled": 0}, pluck="name"
	)
	return current, candidates


def _stock_positions(company, cutover) -> list[StockPosition]:
	rows = frappe.db.sql(
		"""
		select item_code, warehouse, sum(actual_qty), sum(stock_value_difference)
		from `tabStock Ledger Entry`
		where company = %s and is_cancelled = 0 and posting_date <= %s
		group by item_code, warehouse
		having sum(actual_qty) != 0 or sum(stock_value_difference) != 0
		""",
		(company, cutover),
	)
	return [StockPosition(item, wh, float(qty), float(value)) for item, wh, qty, value in rows]


def _resolver(company, defaults, items):
	"""Resolution as the company will post after the switch (its planned Default Inventory
	Account; for a warehouse with Create Account Under and no account yet, the account execute
	will create), and every account it can give."""
	facts = load_company_facts(company, tuple(items))
	to_create = {
		w.name: f"{w.warehouse_name} - {frappe.get_cached_value('Company', company, 'abbr')}"
		for w in frappe.get_all(
			"Warehouse",
			filters={"company": company, "account": ("is", "not set"), "create_account_under": ("is", "set")},
			fields=["name", "warehouse_name"],
		)
	}
	facts = replace(
		facts,
		default_inventory_account=next(d.value for d in defaults if d.fieldname == "default_inventory_account"),
		warehouse_account={**facts.warehouse_account, **to_create},
	)

	def resolve(item, warehouse):
		from perpetual_inventory_plus.core.account_resolution import resolve as resolve_row

		try:
			found = resolve_row(facts, item, warehouse)
		except ResolutionError as error:
			raise Unresolved(str(error)) from error
		if found.subject in to_create and found.account == to_create[found.subject]:
			return found.account, CREATE_ACCOUNT_UNDER
		return found.account, found.source

	accounts = {a for a in facts.warehouse_account.values() if a} | {r.account for r in facts.rules}
	if facts.default_inventory_account:
		accounts.add(facts.default_inventory_account)
	return resolve, accounts


def _gl_balances(company, cutover, accounts) -> dict[str, float]:
	"""GL balance as of the cutover of every Stock account of the company and of every account
	the warehouses resolve to."""
	rows = frappe.db.sql(
		"""
		select gle.account, sum(gle.debit) - sum(gle.credit)
		from `tabGL Entry` gle
		join `tabAccount` acc on acc.name = gle.account
		where gle.company = %(company)s and gle.is_cancelled = 0 and gle.posting_date <= %(cutover)s
			and (acc.account_type = 'Stock' or gle.account in %(accounts)s)
		group by gle.account
		""",
		{"company": company, "cutover": cutover, "accounts": tuple(accounts) or ("",)},
	)
	return {account: float(balance) for account, balance in rows}


def _balance(company, account, cutover) -> float:
	return float(
		frappe.db.sql(
			"""select coalesce(sum(debit) - sum(credit), 0) from `tabGL Entry`
			where company = %s and account = %s and is_cancelled = 0 and posting_date <= %s""",
			(company, account, cutover),
		)[0][0]
	)


def _receipt_rows(company, cutover) -> list[ReceiptRow]:
	"""Each receipt row with the stock quantity billed (invoices and their returns) and returned
	(receipt returns) by the cutover, in one query."""
	rows = frappe.db.sql(
		"""
		select pr.name, pr.supplier, pr.posting_date, pri.stock_qty, pri.base_net_amount,
			coalesce(billed.qty, 0), coalesce(returned.qty, 0)
		from `tabPurchase Receipt Item` pri
		join `tabPurchase Receipt` pr on pr.name = pri.parent
		left join (
			select pii.pr_detail, sum(pii.stock_qty) as qty
			from `tabPurchase Invoice Item` pii
			join `tabPurchase Invoice` pi on pi.name = pii.parent
			where pi.docstatus = 1 and pi.company = %(company)s and pi.posting_date <= %(cutover)s
				and ifnull(pii.pr_detail, '') != ''
			group by pii.pr_detail
		) billed on billed.pr_detail = pri.name
		left join (
			select rri.purchase_receipt_item, -sum(rri.stock_qty) as qty
			from `tabPurchase Receipt Item` rri
			join `tabPurchase Receipt` rr on rr.name = rri.parent
			where rr.docstatus = 1 and rr.is_return = 1 and rr.company = %(company)s
				and rr.posting_date <= %(cutover)s and ifnull(rri.purchase_receipt_item, '') != ''
			group by rri.purchase_receipt_item
		) returned on returned.purchase_receipt_item = pri.name
		where pr.docstatus = 1 and pr.is_return = 0 and pr.company = %(company)s
			and pr.posting_date <= %(cutover)s
		""",
		{"company": company, "cutover": cutover},
	)
	return [
		ReceiptRow(receipt, supplier, str(posting_date), float(qty), float(amount), float(billed), float(returned))
		for receipt, supplier, posting_date, qty, amount, billed, returned in rows
	]


def _entries_after(company, cutover) -> int:
	return frappe.db.count(
		"Stock Ledger Entry", {"company": company, "is_cancelled": 0, "posting_date": (">", cutover)}
	)


def migrated_by(company):
	"""The executed migration of `company`, or None."""
	return frappe.db.get_value(
		MIGRATION, {"company": company, "docstatus": 1, "status": "Executed"}, ["name", "cutover_date"], as_dict=True
	)


def nothing_to_do(company) -> str | None:
	"""Why migrating `company` would do nothing, or None when it would do something."""
	done = migrated_by(company)
	if done:
		return _("Company {0} was already moved to perpetual inventory by {1} (cutover {2}); nothing to do").format(
			company, done.name, formatdate(done.cutover_date)
		)
	if frappe.db.get_value("Company", company, "enable_perpetual_inventory"):
		return _("Company {0} already uses perpetual inventory; nothing to do").format(company)
	return None


def throw_blockers(plan: MigrationPlan, company):
	if plan.blockers:
		frappe.throw(
			_("Migration of {0} to perpetual inventory is blocked:").format(frappe.bold(company))
			+ "<ul>"
			+ "".join(f"<li>{frappe.utils.escape_html(b)}</li>" for b in plan.blockers)
			+ "</ul>",
			title=_("Migration Blocked"),
		)


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


def bill_opened_receipts(invoice):
	"""An invoice for a receipt whose Stock Received But Not Billed the migration opened debits
	that account, as it would for a receipt made under perpetual inventory.

	ERPNext sends an invoice row to Stock Received But Not Billed only when the receipt itself
	posted to it; a receipt from before the cutover never did, so without this the invoice would
	expense the purchase a second time and the opening would never clear."""
	if invoice.get("update_stock") or invoice.get("is_opening") == "Yes":
		return
	receipts = {row.purchase_receipt for row in invoice.items if row.purchase_receipt}
	if not receipts or not erpnext.is_perpetual_inventory_enabled(invoice.company):
		return
	opened = set(
		frappe.db.sql_list(
			"""
			select opening.purchase_receipt
			from `tabPerpetual Inventory Migration Receipt` opening
			join `tabPerpetual Inventory Migration` migration on migration.name = opening.parent
			where migration.company = %s and migration.docstatus = 1 and migration.status = 'Executed'
				and opening.purchase_receipt in %s
			""",
			(invoice.company, tuple(receipts)),
		)
	)
	if not opened:
		return
	srbnb = invoice.get_company_default("stock_received_but_not_billed")
	stock_items = invoice.get_stock_items()
	for row in invoice.items:
		if row.purchase_receipt in opened and row.item_code in stock_items and not row.is_fixed_asset:
			row.expense_account = srbnb
