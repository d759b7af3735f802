"""The SRBNB reconciliation core: open amounts by quantity, GL attribution, reasons and the tie."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from perpetual_inventory_plus.core.srbnb_reconciliation import (
	CANCELLED,
	EXCHANGE_DIFFERENCE,
	INVOICE_WITHOUT_RECEIPT,
	JOURNAL_TO_SRBNB,
	RATE_DIFFERENCE,
	ROUNDING,
	TAX_TO_SRBNB,
	UNEXPLAINED,
	InvoiceRow,
	ReceiptRow,
	VoucherFacts,
	VoucherGL,
	cents,
	reconcile,
)

AS_OF = date(2026, 3, 31)


def receipt(name, qty, rate, conversion_rate=1.0, days=0, receipt_no=None, return_of=None, rate_difference=0.0):
	return ReceiptRow(
		name=name,
		receipt=receipt_no or f"PR-{name}",
		posting_date=AS_OF - timedelta(days=days),
		supplier="Supp",
		item_code="ITEM",
		qty=qty,
		base_net_amount=round(qty * rate * conversion_rate, 2),
		net_rate=rate,
		conversion_rate=conversion_rate,
		rate_difference=rate_difference,
		return_of=return_of,
	)


def invoice(name, pr_detail, qty, rate, conversion_rate=1.0, invoice_no=None):
	return InvoiceRow(
		name=name,
		invoice=invoice_no or f"PI-{name}",
		posting_date=AS_OF,
		supplier="Supp",
		item_code="ITEM",
		pr_detail=pr_detail,
		qty=qty,
		base_net_amount=round(qty * rate * conversion_rate, 2),
		net_rate=rate,
		conversion_rate=conversion_rate,
	)


def gl(voucher_type, voucher_no, net_debit, days=0):
	return VoucherGL(voucher_type, voucher_no, AS_OF - timedelta(days=days), net_debit)


def posted(receipts, invoices):
	"""The GL ERPNext posts for these documents: receipts credit, invoices debit (merged per voucher)."""
	from perpetual_inventory_plus.core.srbnb_reconciliation import invoice_posting, receipt_posting

	by_name = {r.name: r for r in receipts}
	totals = {}
	for r in receipts:
		totals[("Purchase Receipt", r.receipt)] = totals.get(("Purchase Receipt", r.receipt), 0) + receipt_posting(r)
	for i in invoices:
		key = ("Purchase Invoice", i.invoice)
		totals[key] = totals.get(key, 0) + invoice_posting(i, by_name.get(i.pr_detail))
	return [gl(vt, vn, amount / 100) for (vt, vn), amount in totals.items()]


def only_line(result, voucher_type="Purchase Receipt"):
	[line] = [line for line in result.lines if line.voucher_type == voucher_type]
	return line


def test_unbilled_receipt_is_open_in_full_and_ties():
	rows = [receipt("r1", 10, 200)]
	result = reconcile(rows, [], posted(rows, []), AS_OF)
	line = only_line(result)
	assert (line.open_amount, line.gl_balance, line.difference, line.reasons) == (2000, 2000, 0, ())
	assert (result.total_open, result.gl_balance, result.unexplained_remainder) == (2000, 2000, 0)


def test_partly_and_fully_billed():
	rows = [receipt("r1", 10, 200), receipt("r2", 10, 200)]
	bills = [invoice("i1", "r1", 6, 200), invoice("i2", "r2", 10, 200)]
	result = reconcile(rows, bills, posted(rows, bills), AS_OF)
	by_row = {line.detail: line for line in result.lines}
	assert by_row["r1"].open_amount == 800 and by_row["r1"].difference == 0
	assert by_row["r2"].open_amount == 0 and by_row["r2"].difference == 0
	assert result.gl_balance == 800 == result.total_open


def test_higher_invoice_rate_leaves_a_rate_difference_open_by_quantity():
	rows = [receipt("r1", 10, 200)]
	bills = [invoice("i1", "r1", 10, 210)]
	line = only_line(reconcile(rows, bills, posted(rows, bills), AS_OF))
	# an amount-based open amount would be 2000 - 2100 = -100; by quantity nothing is open
	assert (line.open_amount, line.gl_balance, line.difference, line.reasons) == (0, -100, -100, (RATE_DIFFERENCE,))


def test_rate_difference_booked_back_on_the_receipt_clears():
	rows = [receipt("r1", 10, 200, rate_difference=100)]
	bills = [invoice("i1", "r1", 10, 210)]
	line = only_line(reconcile(rows, bills, posted(rows, bills), AS_OF))
	assert (line.open_amount, line.gl_balance, line.difference) == (0, 0, 0)


def test_invoice_at_another_exchange_rate_clears():
	rows = [receipt("r1", 10, 200, conversion_rate=1.10)]
	bills = [invoice("i1", "r1", 10, 200, conversion_rate=1.15)]
	ledger = posted(rows, bills)
	assert {g.voucher_type: g.net_debit for g in ledger} == {"Purchase Receipt": -2200, "Purchase Invoice": 2200}
	line = only_line(reconcile(rows, bills, ledger, AS_OF))
	assert (line.open_amount, line.gl_balance, line.difference, line.reasons) == (0, 0, 0, ())


def test_other_rate_and_other_exchange_rate_are_both_named():
	rows = [receipt("r1", 10, 200, conversion_rate=1.10)]
	bills = [invoice("i1", "r1", 10, 210, conversion_rate=1.15)]
	line = only_line(reconcile(rows, bills, posted(rows, bills), AS_OF))
	assert line.difference == round(2200 - 2415, 2)
	assert line.reasons == (RATE_DIFFERENCE, EXCHANGE_DIFFERENCE)


def test_return_reduces_the_open_quantity():
	rows = [receipt("r1", 10, 200), receipt("ret", -3, 200, return_of="r1")]
	result = reconcile(rows, [], posted(rows, []), AS_OF)
	line = only_line(result)
	assert (line.returned_qty, line.returned_amount, line.open_amount, line.difference) == (3, 600, 1400, 0)
	assert result.gl_balance == 1400


def test_leftover_gl_lines_carry_their_reasons_and_the_summary_ties():
	rows = [receipt("r1", 10, 200, receipt_no="PR1")]
	bills = [invoice("i1", "r1", 10, 200, invoice_no="PI1"), invoice("i2", None, 1, 40, invoice_no="PI2")]
	ledger = [
		gl("Purchase Receipt", "PR1", -2000),
		gl("Purchase Invoice", "PI1", 2050),  # 50 of a charge posted to SRBNB
		gl("Purchase Invoice", "PI2", 40),
		gl("Journal Entry", "JV1", -75),
		gl("Purchase Invoice", "PI3", 30),  # cancelled, its GL left behind
		gl("Stock Entry", "SE1", -12),
	]
	facts = VoucherFacts(cancelled=frozenset({("Purchase Invoice", "PI3")}), taxed=frozenset({("Purchase Invoice", "PI1")}))
	result = reconcile(rows, bills, ledger, AS_OF, facts)
	reasons = {(line.voucher_no, line.detail): (line.difference, line.reasons) for line in result.lines}
	assert reasons == {
		("PR1", "r1"): (0, ()),
		("PI2", "i2"): (-40, (INVOICE_WITHOUT_RECEIPT,)),
		("PI1", None): (-50, (TAX_TO_SRBNB,)),
		("JV1", None): (75, (JOURNAL_TO_SRBNB,)),
		("PI3", None): (-30, (CANCELLED,)),
		("SE1", None): (12, (UNEXPLAINED,)),
	}
	assert result.gl_balance == 2000 - 2050 - 40 + 75 - 30 + 12
	assert result.unexplained_remainder == 12
	assert result.total_open == 0


def test_a_cent_left_on_a_voucher_is_rounding():
	rows = [receipt("r1", 3, 33.33, receipt_no="PR1")]
	result = reconcile(rows, [], [gl("Purchase Receipt", "PR1", -99.98)], AS_OF)
	[leftover] = [line for line in result.lines if line.detail is None]
	assert leftover.reasons == (ROUNDING,) and leftover.difference == -0.01
	assert result.unexplained_remainder == 0


def test_open_amount_by_age():
	rows = [receipt("r1", 1, 100, days=5), receipt("r2", 1, 50, days=45), receipt("r3", 1, 10, days=400)]
	result = reconcile(rows, [], posted(rows, []), AS_OF)
	assert result.open_by_age == {"0-30": 100, "31-60": 50, "61-90": 0, "90+": 10}


# Properties ---------------------------------------------------------------------------------------

amounts = st.decimals(min_value=-10**6, max_value=10**6, places=2).map(float)
rates = st.decimals(min_value="0.01", max_value=10**4, places=2).map(float)
quantities = st.integers(min_value=-50, max_value=50).filter(bool).map(float)
exchange = st.sampled_from([1.0, 1.1, 1.15, 0.9])


@st.composite
def documents(draw):
	receipts = []
	for n in range(draw(st.integers(0, 6))):
		return_of = draw(st.sampled_from([None] + [r.name for r in receipts]))
		receipts.append(
			receipt(
				f"r{n}",
				draw(quantities),
				draw(rates),
				draw(exchange),
				days=draw(st.integers(0, 200)),
				receipt_no=f"PR{draw(st.integers(0, 3))}",
				return_of=return_of,
			)
		)
	names = [None, "missing"] + [r.name for r in receipts]
	invoices = [
		invoice(f"i{n}", draw(st.sampled_from(names)), draw(quantities), draw(rates), draw(exchange), f"PI{draw(st.integers(0, 3))}")
		for n in range(draw(st.integers(0, 6)))
	]
	return receipts, invoices


vouchers = st.tuples(st.sampled_from(["Purchase Receipt", "Purchase Invoice", "Journal Entry", "Stock Entry"]), st.sampled_from(["PR0", "PR1", "PI0", "PI2", "JV1", "X"]))


@given(documents(), st.lists(st.tuples(vouchers, amounts), max_size=8, unique_by=lambda v: v[0]), st.booleans())
def test_every_cent_of_the_gl_is_on_exactly_one_line(docs, ledger, taxed):
	receipts, invoices = docs
	gl_rows = [gl(vt, vn, amount) for (vt, vn), amount in ledger]
	facts = VoucherFacts(taxed=frozenset(v for v, _ in ledger) if taxed else frozenset())
	result = reconcile(receipts, invoices, gl_rows, AS_OF, facts)
	gl_cents = -sum(cents(g.net_debit) for g in gl_rows)
	assert sum(cents(line.gl_balance) for line in result.lines) == gl_cents == cents(result.gl_balance)
	assert cents(result.total_open) + cents(result.explained_difference) + cents(result.unexplained_remainder) == gl_cents
	assert sum(cents(a) for a in result.open_by_age.values()) == cents(result.total_open)
	for line in result.lines:
		assert cents(line.difference) == cents(line.gl_balance) - cents(line.open_amount)
		assert bool(line.reasons) == bool(cents(line.difference))


@given(documents(), st.lists(rates, min_size=6, max_size=6))
def test_open_amount_never_depends_on_the_invoice_rate(docs, other_rates):
	receipts, invoices = docs
	repriced = [invoice(i.name, i.pr_detail, i.qty, rate, i.conversion_rate, i.invoice) for i, rate in zip(invoices, other_rates)]
	before = reconcile(receipts, invoices, posted(receipts, invoices), AS_OF)
	after = reconcile(receipts, repriced, posted(receipts, repriced), AS_OF)
	assert [(line.detail, line.open_amount) for line in before.lines] == [(line.detail, line.open_amount) for line in after.lines]


@given(documents())
def test_documents_at_their_receipts_rates_posted_as_erpnext_posts_them_leave_no_unexplained_difference(docs):
	receipts, invoices = docs
	by_name = {r.name: r for r in receipts}

	def original(row):
		seen = set()
		while row.return_of in by_name and row.name not in seen:
			seen.add(row.name)
			row = by_name[row.return_of]
		return row

	same_rate_receipts = [
		receipt(r.name, r.qty, original(r).net_rate, original(r).conversion_rate, receipt_no=r.receipt, return_of=r.return_of)
		for r in receipts
	]
	by_name = {r.name: r for r in same_rate_receipts}
	same_rate_invoices = [
		invoice(i.name, i.pr_detail, i.qty, by_name[i.pr_detail].net_rate, by_name[i.pr_detail].conversion_rate, i.invoice)
		if i.pr_detail in by_name
		else i
		for i in invoices
	]
	result = reconcile(same_rate_receipts, same_rate_invoices, posted(same_rate_receipts, same_rate_invoices), AS_OF)
	assert result.unexplained_remainder == 0
	for line in result.lines:
		assert line.detail is not None  # no leftover: every voucher's GL is its rows' postings
		assert set(line.reasons) <= {ROUNDING, INVOICE_WITHOUT_RECEIPT}
