"""The other plans tried for the SRBNB Reconciliation (issue 14), each returning what
`reconcile_company` returns, so that benchmarks/srbnb_reconciliation.py can assert them equal to
the report before timing them. The report's own plan is perpetual_inventory_plus/srbnb/reconcile.py.
"""

import subprocess
import types
import zlib
from contextlib import contextmanager
from pathlib import Path

import frappe
from frappe.utils import getdate, today

from perpetual_inventory_plus.srbnb import reconcile as plan
from perpetual_inventory_plus.srbnb.core import leftovers, post, reconcile, round_cents
from perpetual_inventory_plus.versions import receipt_price_adjustment_column

REPO = Path(__file__).resolve().parents[1]
# The report before issue 14: grouped derived tables joined on the rows' names, read from git.
BEFORE = "4888dde"
# Checksum weights: a voucher's CRC-32 modulo a prime, the same in MariaDB and Python.
PRIME = 1000003


def derived_tables():
	"""The plan of the report before issue 14, as it was committed."""
	path = "perpetual_inventory_plus/srbnb/reconcile.py"
	source = subprocess.run(["git", "-C", str(REPO), "show", f"{BEFORE}:{path}"], capture_output=True, text=True, check=True).stdout
	module = types.ModuleType("srbnb_reconcile_before")
	exec(compile(source, f"{BEFORE}:{path}", "exec"), module.__dict__)
	return module.reconcile_company


def scan_args(company, as_of=None):
	return {
		"company": company,
		"account": plan.srbnb_account(company),
		"as_of": getdate(as_of or today()),
		"cutover": None,  # the benchmark's company was never migrated
		"supplier": None,
	}


def scans_with(company, gl_of):
	"""The report's scans, with the GL per voucher read by `gl_of(args, postings)`, which returns
	(the postings of the vouchers it read, their GL)."""
	args = scan_args(company)
	receipts = plan.scanned_receipts(args)
	invoices = plan.scanned_invoices(args, receipts)
	postings = post(receipts, invoices, plan.linked_rows(args, receipts, invoices))
	vouchers, gl, gl_balance = gl_of(args, postings)
	found, balance = leftovers(vouchers, gl)
	return args["account"], reconcile(
		postings.rows, postings.invoices, found, balance if gl_balance is None else gl_balance, args["as_of"],
		plan.voucher_facts(args, found),
	)  # fmt: skip


def gl_grouped_in_python(args, postings):
	"""The SRBNB GL rows read plainly and summed per voucher in a dictionary."""
	gl = {}
	for voucher_type, voucher_no, posting_date, net_debit in frappe.db.sql(
		"""select voucher_type, voucher_no, posting_date, debit - credit from `tabGL Entry`
		where account = %(account)s and company = %(company)s and is_cancelled = 0 and posting_date <= %(as_of)s""",
		args,
	):
		first, total = gl.get((voucher_type, voucher_no), (posting_date, 0.0))
		gl[(voucher_type, voucher_no)] = (min(first, posting_date), total + net_debit)
	return postings.vouchers, gl, None


def gl_checksums(args, postings):
	"""Per posting date, the SRBNB GL's sum and a weighted sum (each voucher's cents times its
	weight) against the same of the rows' postings; only the vouchers of the dates that differ are
	read per voucher. A voucher whose GL equals its postings adds nothing to either side."""
	expected = {}
	for (voucher_type, voucher_no), (posting_date, amount, _rows) in postings.vouchers.items():
		amount_cents = round_cents(amount)
		weighted = amount_cents * (zlib.crc32(f"{voucher_type}{voucher_no}".encode()) % PRIME)
		total, weighted_total = expected.get(posting_date, (0, 0))
		expected[posting_date] = (total + amount_cents, weighted_total + weighted)
	gl_cents, differing = 0, set()
	for posting_date, total, weighted in frappe.db.sql(
		f"""select posting_date, cast(sum(round((debit - credit) * 100)) as char),
			cast(sum(round((debit - credit) * 100) * mod(crc32(concat(voucher_type, voucher_no)), {PRIME})) as char)
		from `tabGL Entry`
		where account = %(account)s and company = %(company)s and is_cancelled = 0 and posting_date <= %(as_of)s
		group by posting_date""",
		args,
	):
		gl_cents += int(total)
		posted, posted_weighted = expected.pop(posting_date, (0, 0))
		if int(total) + posted or int(weighted) + posted_weighted:
			differing.add(posting_date)
	differing.update(posting_date for posting_date, (total, weighted) in expected.items() if total or weighted)
	if not differing:
		return {}, {}, -gl_cents / 100
	names = {voucher_no for _, voucher_no, *_ in drilled_gl_vouchers(args, differing)}
	vouchers = {key: voucher for key, voucher in postings.vouchers.items() if voucher[0] in differing or key[1] in names}
	names |= {voucher_no for _, voucher_no in vouchers}
	return vouchers, plan.gl_by_voucher(args, sorted(names)), -gl_cents / 100


def drilled_gl_vouchers(args, dates):
	return frappe.db.sql(
		"""select distinct voucher_type, voucher_no from `tabGL Entry`
		where account = %(account)s and company = %(company)s and is_cancelled = 0 and posting_date in %(dates)s""",
		{**args, "dates": sorted(dates)},
	)


def invoices_read_per_use(company):
	"""The report's plan, but the invoice rows read once for each use, as the plan before issue 14
	did: those billing a receipt row, those without one, and those posting to SRBNB."""
	args = scan_args(company)
	receipts = plan.scanned_receipts(args)
	every = plan.scanned_invoices(args, receipts)
	for _use in ("billing a receipt row", "without a receipt row"):
		plan.scanned_invoices(args, receipts)
	postings = post(receipts, every, plan.linked_rows(args, receipts, every))
	found, balance = leftovers(postings.vouchers, plan.gl_by_voucher(args))
	return args["account"], reconcile(postings.rows, postings.invoices, found, balance, args["as_of"], plan.voucher_facts(args, found))


def covering_indexes():
	"""Indexes that hold every column each scan reads, so that MariaDB reads the index alone and
	never the rows (what a patch of the app would add). An earlier GL index in the filter's order
	(posting_date before voucher_type) made the GL step 3 times slower on 15.102: 2,039 ms."""
	adjustment = receipt_price_adjustment_column()
	return {
		# the equalities first, then the grouping's order, so that MariaDB groups along the index
		"tabGL Entry": "account, company, is_cancelled, voucher_type, voucher_no, posting_date, debit, credit",
		"tabPurchase Invoice Item": "parent, parenttype, expense_account, pr_detail, item_code, qty, base_net_amount, net_rate",
		"tabPurchase Receipt Item": f"parent, parenttype, is_fixed_asset, qty, item_code, base_net_amount, {adjustment}, net_rate, from_warehouse, purchase_receipt_item",
	}


@contextmanager
def with_covering_indexes():
	"""The covering indexes, created for the timing and dropped afterwards (DDL commits)."""
	created = []
	try:
		for table, columns in covering_indexes().items():
			frappe.db.sql_ddl(f"create index pip_bench_covering on `{table}` ({columns})")
			created.append(table)
		yield
	finally:
		for table in created:
			frappe.db.sql_ddl(f"drop index pip_bench_covering on `{table}`")
