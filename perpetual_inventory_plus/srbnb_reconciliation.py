"""Reads a company's SRBNB facts from the site in a fixed number of aggregate queries and hands
them to the pure core (core/srbnb_reconciliation.py)."""

import frappe
from frappe import _
from frappe.utils import getdate, today

from perpetual_inventory_plus.core.srbnb_reconciliation import (
	InvoiceRow,
	ReceiptRow,
	Reconciliation,
	VoucherFacts,
	VoucherGL,
	reconcile,
)


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


def reconcile_company(company: str, as_of=None) -> tuple[str, Reconciliation]:
	"""The reconciliation of `company`'s SRBNB account as of a date (today by default)."""
	as_of = getdate(as_of or today())
	account = srbnb_account(company)
	args = {"company": company, "account": account, "as_of": as_of}
	return account, reconcile(
		receipt_rows(args), invoice_rows(args), voucher_gl(args), as_of, voucher_facts(args)
	)


def receipt_rows(args) -> list[ReceiptRow]:
	# The rows ERPNext credits to SRBNB: stock items, not fixed assets, not internal transfers.
	rows = frappe.db.sql(
		"""
		select pri.name, pr.name, pr.posting_date, pr.supplier, pri.item_code, pri.qty,
			pri.base_net_amount, pri.net_rate, pr.conversion_rate,
			pri.rate_difference_with_purchase_invoice,
			if(pr.is_return, pri.purchase_receipt_item, null)
		from `tabPurchase Receipt` pr
		join `tabPurchase Receipt Item` pri on pri.parent = pr.name and pri.parenttype = 'Purchase Receipt'
		join `tabItem` item on item.name = pri.item_code
		where pr.company = %(company)s and pr.docstatus = 1 and pr.posting_date <= %(as_of)s
			and item.is_stock_item = 1 and pri.is_fixed_asset = 0 and ifnull(pri.from_warehouse, '') = ''
			and pri.qty != 0
		""",
		args,
	)
	return [ReceiptRow(*row[:9], row[9] or 0.0, row[10] or None) for row in rows]


def invoice_rows(args) -> list[InvoiceRow]:
	# ERPNext sets a row's expense account to SRBNB exactly when the row debits SRBNB.
	rows = frappe.db.sql(
		"""
		select pii.name, pi.name, pi.posting_date, pi.supplier, pii.item_code, pii.pr_detail, pii.qty,
			pii.base_net_amount, pii.net_rate, pi.conversion_rate
		from `tabPurchase Invoice` pi
		join `tabPurchase Invoice Item` pii on pii.parent = pi.name and pii.parenttype = 'Purchase Invoice'
		where pi.company = %(company)s and pi.docstatus = 1 and pi.posting_date <= %(as_of)s
			and pii.expense_account = %(account)s
		""",
		args,
	)
	return [InvoiceRow(*row[:5], row[5] or None, *row[6:]) for row in rows]


def voucher_gl(args) -> list[VoucherGL]:
	# Cancelled vouchers keep their GL with is_cancelled = 1 on both the entry and its reversal.
	rows = frappe.db.sql(
		"""
		select voucher_type, voucher_no, min(posting_date), sum(debit) - sum(credit)
		from `tabGL Entry`
		where account = %(account)s and company = %(company)s and is_cancelled = 0
			and posting_date <= %(as_of)s
		group by voucher_type, voucher_no
		""",
		args,
	)
	return [VoucherGL(*row) for row in rows]


def voucher_facts(args) -> VoucherFacts:
	cancelled = frappe.db.sql(
		"""
		select distinct gle.voucher_type, gle.voucher_no
		from `tabGL Entry` gle
		left join `tabPurchase Receipt` pr on gle.voucher_type = 'Purchase Receipt' and pr.name = gle.voucher_no
		left join `tabPurchase Invoice` pi on gle.voucher_type = 'Purchase Invoice' and pi.name = gle.voucher_no
		left join `tabJournal Entry` je on gle.voucher_type = 'Journal Entry' and je.name = gle.voucher_no
		where gle.account = %(account)s and gle.company = %(company)s and gle.is_cancelled = 0
			and gle.posting_date <= %(as_of)s
			and gle.voucher_type in ('Purchase Receipt', 'Purchase Invoice', 'Journal Entry')
			and 2 in (pr.docstatus, pi.docstatus, je.docstatus)
		""",
		args,
	)
	reposted = frappe.db.sql(
		"""
		select voucher_type, voucher_no from `tabRepost Item Valuation`
		where company = %(company)s and docstatus = 1 and ifnull(voucher_no, '') != ''
		union
		select item.voucher_type, item.voucher_no
		from `tabRepost Accounting Ledger` ral
		join `tabRepost Accounting Ledger Items` item on item.parent = ral.name
		where ral.company = %(company)s and ral.docstatus = 1
		""",
		args,
	)
	taxed = frappe.db.sql(
		"""
		select distinct tax.parenttype, tax.parent
		from `tabPurchase Taxes and Charges` tax
		left join `tabPurchase Receipt` pr on tax.parenttype = 'Purchase Receipt' and pr.name = tax.parent
		left join `tabPurchase Invoice` pi on tax.parenttype = 'Purchase Invoice' and pi.name = tax.parent
		where (tax.account_head = %(account)s or tax.category in ('Valuation', 'Valuation and Total'))
			and %(company)s in (pr.company, pi.company)
		""",
		args,
	)
	return VoucherFacts(
		cancelled=frozenset(map(tuple, cancelled)),
		reposted=frozenset(map(tuple, reposted)),
		taxed=frozenset(map(tuple, taxed)),
	)
