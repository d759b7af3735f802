"""Reads a company's SRBNB facts from the site and hands them to the pure core (`core.py`).

Plain scans, merged in Python: the receipt rows, the invoice rows (one pass serves the billed
sums, the invoices without a receipt row and the invoices' postings) and the SRBNB GL per voucher.
The core applies ERPNext's posting rule to the rows and subtracts each voucher's postings from its
GL. Grouped derived tables joined on the rows' names cost 2 to 3 times as much
(benchmarks/srbnb_reconciliation.py).

ERPNext's posting rule for SRBNB (see the core's docstring):
- a receipt row credits base_net_amount + its adjustment to the invoice's rate (returns too,
  with negative amounts); stock items only, not fixed assets, not internal transfers;
- an invoice row whose expense account is SRBNB debits base_net_amount, plus, when only the rate
  of exchange differs from its receipt's, qty * net_rate * (receipt rate - invoice rate).

A company moved from periodic to perpetual inventory (the migration capability) posted nothing to SRBNB up to
its cutover: the migration's journal entry credits SRBNB once per receipt still open then. Such a
receipt's rows credit what was open at the cutover (received - billed - returned up to it, by
quantity, at the row's rate), and that opening line counts as the receipt's GL, not the journal's.
Invoices and returns up to the cutover bill and return quantity but post nothing to SRBNB.

With a supplier, only that supplier's receipts and invoices are read (and the invoice rows that
bill its receipt rows), by index: the result is theirs, with their vouchers' GL as its balance.

It only reads, and reads from the site's read replica where one is configured (Frappe's
`read_from_replica`): the report, the Prepared Report's job and the runs alike.
"""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import flt, getdate, today

from perpetual_inventory_plus.srbnb.core import (
	INVOICE,
	RECEIPT,
	LinkedReceiptRow,
	Leftover,
	Opening,
	Reconciliation,
	ScannedInvoiceRow,
	ScannedReceiptRow,
	VoucherFacts,
	leftovers,
	post,
	reconcile,
)
from perpetual_inventory_plus.srbnb.prepared import show_progress
from perpetual_inventory_plus.versions import receipt_price_adjustment_column

# An upper bound per in-memory temporary table for the GL grouped per voucher.
TEMPORARY_TABLE_BYTES = 256 * 1024 * 1024

# The receipt rows that credit SRBNB (pr: Purchase Receipt, pri: its row, item: Item).
RECEIPT_SCOPE = """
	pr.company = %(company)s and pr.docstatus = 1 and pr.posting_date <= %(as_of)s
	and item.is_stock_item = 1 and pri.is_fixed_asset = 0 and ifnull(pri.from_warehouse, '') = ''
	and pri.qty != 0"""
# %(cutover)s is null unless the company was migrated: then every "up to the cutover" is false.
UP_TO_CUTOVER = "pr.posting_date <= %(cutover)s"

# The executed migration's opening lines (the migration capability), one per receipt open at the cutover.
OPENINGS_FROM = """
	from `tabPerpetual Inventory Migration` migration
	join `tabPerpetual Inventory Migration Receipt` opening on opening.parent = migration.name
		and opening.parenttype = 'Perpetual Inventory Migration'"""
OPENINGS_WHERE = "migration.company = %(company)s and migration.docstatus = 1 and migration.status = 'Executed'"
OPENINGS = f"{OPENINGS_FROM} where {OPENINGS_WHERE}"
# What each row of an opened receipt credits: its part of the opening, by quantity. Few rows, so
# the quantities up to the cutover are looked up through the pr_detail/purchase_receipt_item indexes.
OPENED_ROWS = f"""
	left join (
		select pri.name, round(pri.base_net_amount * (pri.qty
			- ifnull((select sum(pii.qty) from `tabPurchase Invoice Item` pii
				join `tabPurchase Invoice` pi on pi.name = pii.parent
				where pii.pr_detail = pri.name and pi.docstatus = 1 and pi.posting_date <= %(cutover)s), 0)
			+ ifnull((select sum(rri.qty) from `tabPurchase Receipt Item` rri
				join `tabPurchase Receipt` rr on rr.name = rri.parent
				where rri.purchase_receipt_item = pri.name and rr.docstatus = 1 and rr.is_return = 1
					and rr.posting_date <= %(cutover)s), 0)
			) / pri.qty, 2) as credit
		{OPENINGS_FROM}
		join `tabPurchase Receipt Item` pri on pri.parent = opening.purchase_receipt
		where {OPENINGS_WHERE}
	) opened on opened.name = pri.name"""


def receipt_credit(args) -> tuple[str, str]:
	"""What a receipt row credits, and the join that needs. Only a migrated company's receipts
	credit their opening; elsewhere the join would cost a look-up per receipt row for nothing."""
	if args["cutover"]:
		return f"if({UP_TO_CUTOVER}, ifnull(opened.credit, 0), {own_credit()})", OPENED_ROWS
	return own_credit(), ""


def own_credit() -> str:
	"""What a receipt row of a perpetual company credits: its net amount and its adjustment to an
	invoice's rate (the column differs by release, see versions.py)."""
	return f"(pri.base_net_amount + pri.{receipt_price_adjustment_column()})"


# The invoice rows that debit SRBNB (pi, pii), and, for a migrated company, those that bill
# quantity up to the cutover without debiting it.
INVOICE_SCOPE = """
	pi.company = %(company)s and pi.docstatus = 1 and pi.posting_date <= %(as_of)s
	and (pii.expense_account = %(account)s or pi.posting_date <= %(cutover)s)"""
# A return row names the row it gives back (pri: the row, pr: its receipt).
GIVES_BACK = "if(pr.is_return and pri.purchase_receipt_item > '', pri.purchase_receipt_item, null)"


def check_company_access(company: str) -> None:
	"""A user who may not read the company (role or User Permission) gets nothing of it."""
	if not company or not frappe.has_permission("Company", "read", doc=company):
		raise frappe.PermissionError(_("You do not have access to company {0}").format(frappe.bold(company)))


def srbnb_account(company: str) -> str:
	account = frappe.get_cached_value("Company", company, "stock_received_but_not_billed")
	if not account:
		frappe.throw(
			_("Company {0} has no Stock Received But Not Billed account").format(frappe.bold(company))
		)
	return account


@frappe.read_only()
def reconcile_company(
	company: str, as_of=None, include_cleared: bool = False, supplier: str | None = None
) -> tuple[str, Reconciliation]:
	"""The reconciliation of `company`'s SRBNB account as of a date (today by default). Receipt rows
	neither open nor differing are left out unless `include_cleared`. With `supplier`, of that
	supplier's receipts and invoices only, their GL as the balance (see the module docstring)."""
	as_of = getdate(as_of or today())
	account = srbnb_account(company)
	cutover = frappe.db.get_value(
		"Perpetual Inventory Migration", {"company": company, "docstatus": 1, "status": "Executed"}, "cutover_date"
	)
	args = {"company": company, "account": account, "as_of": as_of, "cutover": cutover, "supplier": supplier}
	show_progress(0, 3, _("Reading receipt rows"))
	receipts = scanned_receipts(args)
	show_progress(1, 3, _("Reading invoice rows"))
	invoices = scanned_invoices(args, receipts)
	postings = post(receipts, invoices, linked_rows(args, receipts, invoices), openings(args), include_cleared)
	show_progress(2, 3, _("Reading the SRBNB GL per voucher"))
	vouchers = postings.vouchers
	if supplier:
		own = {(RECEIPT, row.receipt) for row in receipts} | {
			(INVOICE, row.invoice) for row in invoices if row.supplier == supplier
		}
		vouchers = {key: voucher for key, voucher in vouchers.items() if key in own}
		gl = gl_by_voucher(args, [voucher_no for _, voucher_no in own])  # by index: a few rows
	else:
		with large_temporary_tables():
			gl = gl_by_voucher(args)
	found, gl_balance = leftovers(vouchers, gl)
	show_progress(3, 3, _("Done"))
	return account, reconcile(postings.rows, postings.invoices, found, gl_balance, as_of, voucher_facts(args, found))


@contextmanager
def large_temporary_tables(size=TEMPORARY_TABLE_BYTES):
	"""The GL grouped per voucher groups a few hundred thousand rows in a temporary table; past
	MariaDB's default 16 MB it moves to disk, which doubled the time of such a query
	(benchmarks/srbnb_reconciliation.py). Raised for this connection only, and put back."""
	before = frappe.db.sql("select @@session.tmp_table_size, @@session.max_heap_table_size")[0]
	frappe.db.sql("set session tmp_table_size = %s, max_heap_table_size = %s", (size, size))
	try:
		yield
	finally:
		frappe.db.sql("set session tmp_table_size = %s, max_heap_table_size = %s", before)


def scanned_receipts(args) -> list[ScannedReceiptRow]:
	"""Every receipt row that credits SRBNB, returns too; a supplier's by the supplier index."""
	credit, opened_rows = receipt_credit(args)
	rows = frappe.db.sql(
		f"""
		select pri.name, pr.name, pr.posting_date, pr.supplier, pri.item_code, pri.qty, pri.base_net_amount,
			{credit}, pri.net_rate, pr.conversion_rate, {GIVES_BACK}, ifnull({UP_TO_CUTOVER}, 0)
		from `tabPurchase Receipt` pr
		join `tabPurchase Receipt Item` pri on pri.parent = pr.name and pri.parenttype = 'Purchase Receipt'
		join `tabItem` item on item.name = pri.item_code
		{opened_rows}
		where {RECEIPT_SCOPE} {"and pr.supplier = %(supplier)s" if args["supplier"] else ""}
		""",
		args,
	)
	return [ScannedReceiptRow(*row) for row in rows]


def scanned_invoices(args, receipts: list[ScannedReceiptRow]) -> list[ScannedInvoiceRow]:
	"""One pass over the invoice rows serves every sum. For a supplier: its invoices' rows, and the
	rows of other invoices that bill its receipt rows (by the pr_detail index)."""
	select = f"""
		select pii.name, pi.name, pi.posting_date, pi.supplier, pii.item_code, pii.qty, pii.base_net_amount,
			pii.net_rate, pi.conversion_rate, pii.pr_detail, pii.expense_account = %(account)s
		from `tabPurchase Invoice` pi
		join `tabPurchase Invoice Item` pii on pii.parent = pi.name and pii.parenttype = 'Purchase Invoice'
		where {INVOICE_SCOPE}"""
	if not args["supplier"]:
		rows = frappe.db.sql(select, args)
	else:
		rows = frappe.db.sql(f"{select} and pi.supplier = %(supplier)s", args)
		if receipts:
			rows += frappe.db.sql(
				f"{select} and pi.supplier != %(supplier)s and pii.pr_detail in %(rows)s",
				{**args, "rows": [row.name for row in receipts]},
			)
	return [ScannedInvoiceRow(*row) for row in rows]


def linked_rows(args, receipts, invoices) -> dict[str, LinkedReceiptRow]:
	"""The receipt rows invoice rows bill outside the scanned ones (another company's, a non-stock
	item's, a return's original of another supplier; few), by name."""
	scanned = {row.name for row in receipts}
	names = {row.pr_detail for row in invoices if row.pr_detail and row.pr_detail not in scanned}
	if not names:
		return {}
	rows = frappe.db.sql(
		f"""
		select pri.name, pri.net_rate, pr.conversion_rate, {GIVES_BACK}
		from `tabPurchase Receipt Item` pri
		join `tabPurchase Receipt` pr on pr.name = pri.parent
		where pri.name in %(names)s and pr.docstatus = 1 and pr.posting_date <= %(as_of)s
		""",
		{**args, "names": list(names)},
	)
	return {row[0]: LinkedReceiptRow(*row) for row in rows}


def openings(args) -> list[Opening]:
	if not args["cutover"]:
		return []
	return [
		Opening(*row)
		for row in frappe.db.sql(
			f"""select opening.purchase_receipt, migration.srbnb_journal_entry, migration.cutover_date, opening.open_value
			{OPENINGS} and migration.cutover_date <= %(as_of)s""",
			args,
		)
	]


def gl_by_voucher(args, voucher_nos: list[str] | None = None) -> dict[tuple[str, str], tuple]:
	"""The SRBNB GL per voucher: first posting date and net debit. Cancelled vouchers keep theirs
	with is_cancelled = 1 on both the entry and its reversal. Only `voucher_nos`, when given."""
	if voucher_nos is not None and not voucher_nos:
		return {}
	rows = frappe.db.sql(
		f"""
		select voucher_type, voucher_no, min(posting_date), sum(debit - credit)
		from `tabGL Entry`
		where account = %(account)s and company = %(company)s and is_cancelled = 0 and posting_date <= %(as_of)s
			{"" if voucher_nos is None else "and voucher_no in %(voucher_nos)s"}
		group by voucher_type, voucher_no
		""",
		{**args, "voucher_nos": voucher_nos},
	)
	return {(voucher_type, voucher_no): (posting_date, net_debit) for voucher_type, voucher_no, posting_date, net_debit in rows}


def account_balance(company: str, as_of=None) -> float:
	"""The SRBNB account's credit balance as of the date: one aggregate over its GL."""
	return flt(
		frappe.db.sql(
			"""select sum(credit) - sum(debit) from `tabGL Entry`
			where account = %s and company = %s and is_cancelled = 0 and posting_date <= %s""",
			(srbnb_account(company), company, getdate(as_of or today())),
		)[0][0]
	)


def voucher_facts(args, leftovers: list[Leftover]) -> VoucherFacts:
	"""What is known about the vouchers with something left over (few), to name a reason."""
	names = {}
	for leftover in leftovers:
		names.setdefault(leftover.voucher_type, []).append(leftover.voucher_no)
	if not names:
		return VoucherFacts()
	cancelled = set()
	for doctype in ("Purchase Receipt", "Purchase Invoice", "Journal Entry"):
		if names.get(doctype):
			cancelled.update(
				(doctype, name)
				for name in frappe.get_all(doctype, filters={"name": ("in", names[doctype]), "docstatus": 2}, pluck="name")
			)
	every = [name for voucher_names in names.values() for name in voucher_names]
	reposted = frappe.db.sql(
		"""
		select voucher_type, voucher_no from `tabRepost Item Valuation`
		where docstatus = 1 and voucher_no in %(names)s
		union
		select item.voucher_type, item.voucher_no
		from `tabRepost Accounting Ledger` ral
		join `tabRepost Accounting Ledger Items` item on item.parent = ral.name
		where ral.docstatus = 1 and item.voucher_no in %(names)s
		""",
		{"names": every},
	)
	taxed = frappe.db.sql(
		"""
		select distinct parenttype, parent from `tabPurchase Taxes and Charges`
		where parent in %(names)s and parenttype in ('Purchase Receipt', 'Purchase Invoice')
			and (account_head = %(account)s or category in ('Valuation', 'Valuation and Total'))
		""",
		{"names": every, "account": args["account"]},
	)
	return VoucherFacts(
		cancelled=frozenset(cancelled),
		reposted=frozenset(map(tuple, reposted)),
		taxed=frozenset(map(tuple, taxed)),
	)
