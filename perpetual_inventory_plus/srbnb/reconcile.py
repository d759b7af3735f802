"""Reads a company's SRBNB facts from the site and hands them to the pure core
(`core.py`).

The database does the summing, in a fixed number of aggregate queries: each receipt row's
billed and returned postings, and each voucher's GL minus its rows' postings. Only receipt rows
that are open or differ, and vouchers with something left over, come back to Python: on a large
site almost every row is cleared, and shipping them all costs more than the whole reconciliation.

ERPNext's posting rule for SRBNB, written once here (see the core's docstring):
- a receipt row credits base_net_amount + its adjustment to the invoice's rate (returns too,
  with negative amounts); stock items only, not fixed assets, not internal transfers;
- an invoice row whose expense account is SRBNB debits base_net_amount, plus, when only the rate
  of exchange differs from its receipt's, qty * net_rate * (receipt rate - invoice rate).

A company moved from periodic to perpetual inventory (the migration capability) posted nothing to SRBNB up to
its cutover: the migration's journal entry credits SRBNB once per receipt still open then. Such a
receipt's rows credit what was open at the cutover (received - billed - returned up to it, by
quantity, at the row's rate), and that opening line counts as the receipt's GL, not the journal's.
Invoices and returns up to the cutover bill and return quantity but post nothing to SRBNB.
"""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import getdate, today

from perpetual_inventory_plus.srbnb.core import (
	InvoiceRow,
	Leftover,
	ReceiptRow,
	Reconciliation,
	VoucherFacts,
	reconcile,
)
from perpetual_inventory_plus.versions import receipt_price_adjustment_column

# An upper bound per in-memory temporary table for the report's grouping queries.
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


# The invoice rows that debit SRBNB (pi, pii), and the receipt row they bill if any (lr, lpr).
INVOICE_DATES = "pi.company = %(company)s and pi.docstatus = 1 and pi.posting_date <= %(as_of)s"
INVOICE_SCOPE = f"{INVOICE_DATES} and pii.expense_account = %(account)s"
ON_SRBNB = "pii.expense_account = %(account)s"
INVOICE_JOINS = """
	from `tabPurchase Invoice` pi
	join `tabPurchase Invoice Item` pii on pii.parent = pi.name and pii.parenttype = 'Purchase Invoice'
	left join `tabPurchase Receipt Item` lr on lr.name = pii.pr_detail
	left join `tabPurchase Receipt` lpr on lpr.name = lr.parent and lpr.docstatus = 1
		and lpr.posting_date <= %(as_of)s"""
ONLY_EXCHANGE_DIFFERS = "(lpr.name is not null and pi.conversion_rate != lpr.conversion_rate and pii.net_rate = lr.net_rate)"
INVOICE_DEBIT = f"""round(pii.base_net_amount
	+ if({ONLY_EXCHANGE_DIFFERS}, pii.qty * pii.net_rate * (lpr.conversion_rate - pi.conversion_rate), 0), 2)"""


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


def reconcile_company(company: str, as_of=None, include_cleared: bool = False) -> tuple[str, Reconciliation]:
	"""The reconciliation of `company`'s SRBNB account as of a date (today by default). Receipt rows
	neither open nor differing are left out unless `include_cleared`."""
	as_of = getdate(as_of or today())
	account = srbnb_account(company)
	cutover = frappe.db.get_value(
		"Perpetual Inventory Migration", {"company": company, "docstatus": 1, "status": "Executed"}, "cutover_date"
	)
	args = {"company": company, "account": account, "as_of": as_of, "cutover": cutover}
	with large_temporary_tables():
		leftovers, gl_balance = voucher_leftovers(args)
		rows = receipt_rows(args, include_cleared)
	return account, reconcile(
		rows,
		invoices_without_receipt(args),
		leftovers,
		gl_balance,
		as_of,
		voucher_facts(args, leftovers),
	)


@contextmanager
def large_temporary_tables(size=TEMPORARY_TABLE_BYTES):
	"""The per-row and per-voucher sums group a few hundred thousand rows in a temporary table;
	past MariaDB's default 16 MB it moves to disk, which doubled the time of the receipt query
	(benchmarks/srbnb_reconciliation.py). Raised for this connection only, and put back."""
	before = frappe.db.sql("select @@session.tmp_table_size, @@session.max_heap_table_size")[0]
	frappe.db.sql("set session tmp_table_size = %s, max_heap_table_size = %s", (size, size))
	try:
		yield
	finally:
		frappe.db.sql("set session tmp_table_size = %s, max_heap_table_size = %s", before)


def receipt_rows(args, include_cleared=False) -> list[ReceiptRow]:
	# A return row is summed into the row it gives back (purchase_receipt_item); an invoice row
	# billing a return row, into that row's original.
	credit, opened_rows = receipt_credit(args)
	rows = frappe.db.sql(
		f"""
		select pri.name, pr.name, pr.posting_date, pr.supplier, pri.item_code, pri.qty as received_qty,
			pri.base_net_amount, {credit} as credited,
			ifnull(billed.qty, 0) as billed_qty, ifnull(billed.debit, 0) as billed_debit,
			ifnull(returned.qty, 0) as returned_qty, ifnull(returned.debit, 0) as returned_debit,
			ifnull(billed.rate_differs, 0) or ifnull(returned.rate_differs, 0),
			ifnull(billed.exchange_differs, 0),
			ifnull(billed.n, 0) + ifnull(returned.n, 0)
		from `tabPurchase Receipt` pr
		join `tabPurchase Receipt Item` pri on pri.parent = pr.name and pri.parenttype = 'Purchase Receipt'
		join `tabItem` item on item.name = pri.item_code
		left join (
			select if(lpr.is_return and ifnull(lr.purchase_receipt_item, '') != '', lr.purchase_receipt_item, lr.name) as original,
				sum(pii.qty) as qty, sum(if({ON_SRBNB}, {INVOICE_DEBIT}, 0)) as debit,
				max({ON_SRBNB} and pii.net_rate != lr.net_rate) as rate_differs,
				max({ON_SRBNB} and pi.conversion_rate != lpr.conversion_rate and pii.net_rate != lr.net_rate) as exchange_differs,
				count(*) as n
			{INVOICE_JOINS}
			where {INVOICE_DATES} and ({ON_SRBNB} or pi.posting_date <= %(cutover)s) and lpr.name is not null
			group by original
		) billed on billed.original = pri.name
		left join (
			select pri.purchase_receipt_item as original, -sum(pri.qty) as qty,
				-sum(if({UP_TO_CUTOVER}, 0, {own_credit()})) as debit,
				max(if({UP_TO_CUTOVER}, 0, pri.net_rate != orig.net_rate)) as rate_differs, count(*) as n
			from `tabPurchase Receipt Item` pri
			join `tabPurchase Receipt` pr on pr.name = pri.parent
			join `tabItem` item on item.name = pri.item_code
			join `tabPurchase Receipt Item` orig on orig.name = pri.purchase_receipt_item
			-- returns are few: find them by their purchase_receipt_item index, not by scanning receipts
			where pri.purchase_receipt_item > '' and pri.parenttype = 'Purchase Receipt'
				and {RECEIPT_SCOPE} and pr.is_return = 1
			group by pri.purchase_receipt_item
		) returned on returned.original = pri.name
		{opened_rows}
		where {RECEIPT_SCOPE} and not (pr.is_return = 1 and ifnull(pri.purchase_receipt_item, '') != '')
		{"" if include_cleared else '''having round(received_qty - billed_qty - returned_qty, 9) != 0
			or round(credited - billed_debit - returned_debit, 2) != 0'''}
		""",
		args,
	)
	return [ReceiptRow(*row[:12], bool(row[12]), bool(row[13]), int(row[14])) for row in rows]


def invoices_without_receipt(args) -> list[InvoiceRow]:
	rows = frappe.db.sql(
		f"""
		select pii.name, pi.name, pi.posting_date, pi.supplier, pii.item_code, pii.qty, {INVOICE_DEBIT}
		{INVOICE_JOINS}
		where {INVOICE_SCOPE} and lpr.name is null
		""",
		args,
	)
	return [InvoiceRow(*row) for row in rows]


def voucher_leftovers(args) -> tuple[list[Leftover], float]:
	"""Each voucher's SRBNB GL (cancelled vouchers keep theirs with is_cancelled = 1 on both the
	entry and its reversal) minus its rows' postings, where not zero; and the account's credit
	balance, from the rollup's grand total of the GL alone."""
	credit, opened_rows = receipt_credit(args)
	rows = frappe.db.sql(
		f"""
		select voucher_type, voucher_no, min(posting_date), round(sum(amount), 2) as leftover, sum(gl), sum(n)
		from (
			select voucher_type, voucher_no, posting_date, debit - credit as amount, debit - credit as gl, 0 as n
			from `tabGL Entry`
			where account = %(account)s and company = %(company)s and is_cancelled = 0
				and posting_date <= %(as_of)s
			union all
			select 'Purchase Receipt', pr.name, pr.posting_date, {credit}, 0, 1
			from `tabPurchase Receipt` pr
			join `tabPurchase Receipt Item` pri on pri.parent = pr.name and pri.parenttype = 'Purchase Receipt'
			join `tabItem` item on item.name = pri.item_code
			{opened_rows}
			where {RECEIPT_SCOPE}
			union all
			-- a migration's opening line is its receipt's GL, and accounts for the journal's
			select 'Purchase Receipt', opening.purchase_receipt, migration.cutover_date, -opening.open_value, 0, 0
			{OPENINGS} and migration.cutover_date <= %(as_of)s
			union all
			select 'Journal Entry', migration.srbnb_journal_entry, migration.cutover_date, opening.open_value, 0, 0
			{OPENINGS} and migration.cutover_date <= %(as_of)s
			union all
			select 'Purchase Invoice', pi.name, pi.posting_date, -{INVOICE_DEBIT}, 0, 1
			{INVOICE_JOINS}
			where {INVOICE_SCOPE}
		) postings
		group by voucher_type, voucher_no with rollup
		having voucher_type is null or (voucher_no is not null and leftover != 0)
		""",
		args,
	)
	leftovers, gl_debit = [], 0.0
	for voucher_type, voucher_no, posting_date, leftover, gl, n in rows:
		if voucher_type is None:
			gl_debit = gl or 0.0
		else:
			leftovers.append(Leftover(voucher_type, voucher_no, posting_date, leftover, int(n)))
	return leftovers, -gl_debit


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
