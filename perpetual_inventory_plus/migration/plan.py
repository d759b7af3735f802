"""The migration plan on the site: read a company's figures with aggregate SQL and let the core
plan; whether a company was migrated, or has nothing to migrate.

The Desk document (Perpetual Inventory Migration), the bench command and the patch all plan here
(`compute_plan`); `execute.py` carries the plan out and `job.py` runs that. The plan shown before
anything changes (`preview_plan`) reads from the site's read replica where one is configured.
"""

from dataclasses import replace

import frappe
from frappe import _
from frappe.utils import formatdate, getdate, nowdate

from perpetual_inventory_plus.accounts.core import ResolutionError
from perpetual_inventory_plus.accounts.facts import load_company_facts
from perpetual_inventory_plus.accounts.ledgers import currency_precision, stock_account_balances, stock_on_hand
from perpetual_inventory_plus.accounts.warehouse import account_to_be_created
from perpetual_inventory_plus.migration.core import (
	DEFAULT_FIELDS,
	MigrationPlan,
	ReceiptRow,
	StockPosition,
	Unresolved,
	build_plan,
	cutover_blockers,
	default_inventory_account_needed,
	plan_defaults,
	plan_receipts,
	plan_stock,
)
from perpetual_inventory_plus.versions import company_has_field

MIGRATION = "Perpetual Inventory Migration"
CREATE_ACCOUNT_UNDER = "Create Account Under"


@frappe.read_only()
def preview_plan(company, cutover, expense_account=None, chosen=None, progress=None) -> MigrationPlan:
	"""`compute_plan` for showing (the document's save, the bench command), from the site's read
	replica where one is configured (Frappe's `read_from_replica`): a large company's plan reads
	its whole stock ledger. The execute computes it again on the primary, and refuses it if it
	differs from the one shown, as when the replica lagged."""
	return compute_plan(company, cutover, expense_account, chosen, progress)


def compute_plan(company, cutover, expense_account=None, chosen=None, progress=None) -> MigrationPlan:
	"""The plan for `company` as of `cutover`. It only reads: nothing on the site changes.

	`chosen` maps company default fields to accounts the user picked on the migration;
	`progress(step, total)` is told how far it got, for the bench command's progress bar.
	"""
	cutover = getdate(cutover)
	steps = 5
	report = progress or (lambda step, total: None)
	places = currency_precision()

	positions = [StockPosition(*row) for row in stock_on_hand(company, cutover)]
	report(1, steps)

	facts, to_create = _planned_facts(company, {p.item for p in positions})
	fields = company_default_fields()
	current, candidates = _default_accounts(company, fields)
	needed = default_inventory_account_needed(positions, _resolver(replace(facts, default_inventory_account=None), to_create)[0])
	defaults = plan_defaults(current, chosen or {}, candidates, fields, () if needed else ("default_inventory_account",))
	report(2, steps)

	planned_default = next(d.value for d in defaults if d.fieldname == "default_inventory_account")
	resolve, accounts = _resolver(replace(facts, default_inventory_account=planned_default), to_create)
	stock = plan_stock(positions, resolve, stock_account_balances(company, cutover, accounts), places)
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


def company_default_fields():
	"""The DEFAULT_FIELDS this release's Company has (version-16 dropped Expenses Included In
	Valuation)."""
	return tuple(f for f in DEFAULT_FIELDS if company_has_field(f[0]))


def _default_accounts(company, fields):
	current = frappe.db.get_value("Company", company, [f for f, _l, _t in fields], as_dict=True)
	types = {t: f for f, _l, t in fields if t}
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


def _planned_facts(company, items):
	"""The company's resolution facts as it will post after the switch, and the accounts execute
	will create: a warehouse with Create Account Under and no account gets its own."""
	facts = load_company_facts(company, tuple(items))
	to_create = {
		w.name: account_to_be_created(w)
		for w in frappe.get_all(
			"Warehouse",
			filters={"company": company, "account": ("is", "not set"), "create_account_under": ("is", "set")},
			fields=["name", "warehouse_name", "company", "create_account_under"],
		)
	}
	return replace(facts, warehouse_account={**facts.warehouse_account, **to_create}), to_create


def _resolver(facts, to_create):
	"""Resolution with `facts`, its source named Create Account Under for an account execute will
	create, and every account it can give."""

	def resolve(item, warehouse):
		from perpetual_inventory_plus.accounts.core import resolve as resolve_row

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


def show_plan(doc, plan: MigrationPlan):
	"""The plan on the migration document, for the user to read before submitting."""
	doc.difference_account = plan.expense_account
	doc.blockers = "\n".join(plan.blockers)
	for table, rows in plan_tables(plan).items():
		doc.set(table, rows)


def plan_tables(plan: MigrationPlan) -> dict[str, list[dict]]:
	"""The plan as the migration document's tables hold it."""
	return {
		"defaults": [
			{"label": d.label, "company_field": d.fieldname, "current_value": d.current, "value": d.value, "action": d.action}
			for d in plan.defaults
		],
		"warehouses": [
			{"warehouse": w.warehouse, "account": w.account, "resolved_by": w.source, "items": w.items, "stock_value": w.value}
			for w in plan.warehouses
		],
		"stock_accounts": [
			{"account": a.account, "stock_value": a.stock_value, "gl_balance": a.gl_balance, "difference": a.difference}
			for a in plan.accounts
		],
		"receipts": [
			{
				"purchase_receipt": r.receipt,
				"supplier": r.supplier,
				"posting_date": r.posting_date,
				"received_value": r.received_value,
				"billed_value": r.billed_value,
				"returned_value": r.returned_value,
				"open_value": r.open_value,
			}
			for r in plan.receipts
		],
		"journal_lines": [
			{"journal": journal, "account": line.account, "debit": line.debit, "credit": line.credit, "remark": line.remark}
			for journal, lines in (("Stock Sync", plan.sync_lines), ("SRBNB Opening", plan.srbnb_lines))
			for line in lines
		],
	}
