"""What `bench migrate-to-perpetual` does once the site is connected: print the plan, and with
--execute carry it out through a Perpetual Inventory Migration document, with a progress bar, so
that the bench and the Desk leave the same record."""

import frappe
from frappe.utils import fmt_money, update_progress_bar

from perpetual_inventory_plus.migration.core import DEFAULT_FIELDS, MigrationPlan
from perpetual_inventory_plus.migration.job import EXECUTED
from perpetual_inventory_plus.migration.job import run as run_job
from perpetual_inventory_plus.migration.plan import MIGRATION, nothing_to_do, preview_plan


def run(company: str, cutover: str, expense_account: str | None, execute: bool, chosen=None) -> int:
	"""The exit status: 0 done (or nothing to do), 1 blocked or failed. `chosen` maps company
	default fields to the accounts the user picked."""
	frappe.set_user("Administrator")
	if not frappe.db.exists("Company", company):
		print(f"No company {company}")
		return 1
	reason = nothing_to_do(company)
	if reason:
		print(reason)
		return 0

	doc = frappe.new_doc(MIGRATION)
	unknown = set(chosen or {}) - {f for f, _l, _t in DEFAULT_FIELDS}
	if unknown:
		print(f"Unknown default field(s): {', '.join(sorted(unknown))}")
		return 1
	doc.update({"company": company, "cutover_date": cutover, "difference_account": expense_account, **(chosen or {})})
	plan = preview_plan(
		company,
		cutover,
		expense_account,
		chosen,
		progress=lambda step, total: update_progress_bar("Planning", step - 1, total),
	)
	print()
	print(plan_as_text(plan, company, cutover))
	if plan.blockers:
		print("Blocked: nothing was changed.")
		return 1
	if not execute:
		frappe.db.rollback()
		print("Dry run: nothing was changed. Run again with --execute to carry the plan out.")
		return 0

	doc.flags.plan = plan
	doc.flags.run_by_caller = True
	try:
		doc.insert()
		doc.submit()
	except Exception as error:
		frappe.db.rollback()
		print(f"Failed, nothing was changed: {frappe.utils.strip_html(str(error))}")
		return 1
	# The execute runs here rather than in a worker: the terminal has no timeout to fear, and the
	# job's run keeps the same status, lock and all-or-nothing as the Desk's background job.
	status = run_job(doc.name, progress=lambda percent, what: update_progress_bar(f"Executing: {what[:50]:<50}", max(percent - 1, 0), 100))
	print()
	doc.reload()
	if status != EXECUTED:
		print(f"{status} {doc.name}: {doc.execution_log}")
		return 1
	print(f"Executed {doc.name}:")
	for line in (doc.execution_log or "").splitlines():
		print(f"  - {line}")
	for label, name in (("Stock sync", doc.sync_journal_entry), ("SRBNB opening", doc.srbnb_journal_entry)):
		print(f"  {label} journal entry: {name or 'none needed'}")
	return 0


def plan_as_text(plan: MigrationPlan, company: str, cutover: str) -> str:
	money = lambda value: fmt_money(value, 2)  # noqa: E731
	out = [f"Plan: {company} to perpetual inventory as of {cutover} (expense account: {plan.expense_account or '-'})", ""]
	out.append("1. Default accounts")
	for d in plan.defaults:
		out.append(f"   {d.action:<6} {d.label}: {d.value or '(choose one)'}" + (f" (now {d.current})" if d.action == "Set" and d.current else ""))
	out.append("2. Warehouses with stock")
	for w in plan.warehouses:
		out.append(f"   {w.warehouse} -> {w.account} ({w.source}; {w.items} items, {money(w.value)})")
	out.append("3. Inventory accounts: stock value / GL balance / difference")
	for a in plan.accounts:
		out.append(f"   {a.account}: {money(a.stock_value)} / {money(a.gl_balance)} / {money(a.difference)}")
	out.append(f"4. Received not billed: {len(plan.receipts)} receipts, {money(sum(r.open_value for r in plan.receipts))}")
	for r in plan.receipts[:20]:
		out.append(f"   {r.receipt} ({r.supplier}, {r.posting_date}): {money(r.open_value)}")
	if len(plan.receipts) > 20:
		out.append(f"   ... and {len(plan.receipts) - 20} more")
	for title, lines in (("Stock sync journal", plan.sync_lines), ("SRBNB opening journal", plan.srbnb_lines)):
		out.append(f"{title}: " + ("none needed" if not lines else f"{len(lines)} lines"))
		for line in lines[:20]:
			side = f"Dr {money(line.debit)}" if line.debit else f"Cr {money(line.credit)}"
			out.append(f"   {side:>16}  {line.account}  ({line.remark})")
		if len(lines) > 20:
			out.append(f"   ... and {len(lines) - 20} more")
	if plan.blockers:
		out.append("Blockers:")
		out.extend(f"   - {b}" for b in plan.blockers)
	return "\n".join(out)
