"""The SRBNB reconciliation core: open amounts by quantity, differences, reasons and the tie."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from perpetual_inventory_plus.srbnb.core import leftovers as voucher_leftovers
from perpetual_inventory_plus.srbnb.core import (
	CANCELLED,
	EXCHANGE_DIFFERENCE,
	INVOICE_WITHOUT_RECEIPT,
	JOURNAL_TO_SRBNB,
	RATE_DIFFERENCE,
	ROUNDING,
	TAX_TO_SRBNB,
	UNEXPLAINED,
	InvoiceRow,
	Leftover,
	LinkedReceiptRow,
	Opening,
	ReceiptRow,
	ScannedInvoiceRow,
	ScannedReceiptRow,
	VoucherFacts,
	cents,
	post,
	reconcile,
	round_cents,
)

AS_OF = date(2026, 3, 31)


def receipt(qty, rate, billed=(), returned=(), days=0, rate_difference=0.0, name="r1", exchange_differs=False):
	"""A receipt row at `rate`; `billed` and `returned` are (qty, rate) pairs of invoice and return rows."""
	return ReceiptRow(
		name=name,
		receipt=f"PR-{name}",
		posting_date=AS_OF - timedelta(days=days),
		supplier="Supp",
		item_code="ITEM",
		qty=qty,
		base_net_amount=round(qty * rate, 2),
		credited=round(qty * rate + rate_difference, 2),
		billed_qty=sum(q for q, _ in billed),
		billed_debit=round(sum(q * r for q, r in billed), 2),
		returned_qty=sum(q for q, _ in returned),
		returned_debit=round(sum(q * r for q, r in returned), 2),
		rate_differs=any(r != rate for _, r in (*billed, *returned)),
		exchange_differs=exchange_differs,
		links=len(billed) + len(returned),
	)


def gl_of(*rows):
	return round(sum(r.credited - r.billed_debit - r.returned_debit for r in rows), 2)


def only(result):
	[line] = result.lines
	return line.open_amount, line.gl_balance, line.difference, line.reasons


def test_unbilled_receipt_is_open_in_full_and_ties():
	row = receipt(10, 200)
	result = reconcile([row], [], [], gl_of(row), AS_OF)
	assert only(result) == (2000, 2000, 0, ())
	assert (result.total_open, result.gl_balance, result.unexplained_remainder) == (2000, 2000, 0)


def test_partly_and_fully_billed():
	assert only(reconcile([row := receipt(10, 200, billed=[(6, 200)])], [], [], gl_of(row), AS_OF)) == (800, 800, 0, ())
	assert only(reconcile([row := receipt(10, 200, billed=[(10, 200)])], [], [], gl_of(row), AS_OF)) == (0, 0, 0, ())


def test_higher_invoice_rate_is_a_rate_difference_and_nothing_is_open():
	row = receipt(10, 200, billed=[(10, 210)])
	# an amount-based open amount would be 2000 - 2100 = -100; by quantity nothing is open
	assert only(reconcile([row], [], [], gl_of(row), AS_OF)) == (0, -100, -100, (RATE_DIFFERENCE,))


def test_rate_difference_booked_back_on_the_receipt_clears():
	row = receipt(10, 200, billed=[(10, 210)], rate_difference=100)
	assert only(reconcile([row], [], [], gl_of(row), AS_OF)) == (0, 0, 0, ())


def test_exchange_difference_is_named_when_erpnext_left_it_in_srbnb():
	row = receipt(10, 220, billed=[(10, 241.5)], exchange_differs=True)
	assert only(reconcile([row], [], [], gl_of(row), AS_OF))[2:] == (-215, (RATE_DIFFERENCE, EXCHANGE_DIFFERENCE))


def test_return_reduces_the_open_quantity():
	row = receipt(10, 200, returned=[(3, 200)])
	result = reconcile([row], [], [], gl_of(row), AS_OF)
	assert only(result) == (1400, 1400, 0, ())
	assert (result.lines[0].returned_qty, result.lines[0].returned_amount) == (3, 600)


def test_leftovers_carry_their_reasons_and_the_summary_ties():
	row = receipt(10, 200, billed=[(10, 200)])
	leftovers = [
		Leftover("Purchase Invoice", "PI1", AS_OF, 50, rows=1),
		Leftover("Journal Entry", "JV1", AS_OF, -75),
		Leftover("Purchase Invoice", "PI3", AS_OF, 30),
		Leftover("Stock Entry", "SE1", AS_OF, -12),
		Leftover("Purchase Receipt", "PR9", AS_OF, 0.01, rows=3),
	]
	invoices = [InvoiceRow("i2", "PI2", AS_OF, "Supp", "ITEM", 1, 40)]
	facts = VoucherFacts(cancelled=frozenset({("Purchase Invoice", "PI3")}), taxed=frozenset({("Purchase Invoice", "PI1")}))
	gl_balance = round(gl_of(row) - 50 - 40 + 75 - 30 + 12 - 0.01, 2)
	result = reconcile([row], invoices, leftovers, gl_balance, AS_OF, facts)
	assert {(line.voucher_no, line.difference, line.reasons) for line in result.lines} == {
		("PR-r1", 0, ()),
		("PI2", -40, (INVOICE_WITHOUT_RECEIPT,)),
		("PI1", -50, (TAX_TO_SRBNB,)),
		("JV1", 75, (JOURNAL_TO_SRBNB,)),
		("PI3", -30, (CANCELLED,)),
		("SE1", 12, (UNEXPLAINED,)),
		("PR9", -0.01, (ROUNDING,)),
	}
	assert (result.total_open, result.explained_difference, result.unexplained_remainder) == (0, -45.01, 12)


def test_gl_the_lines_do_not_account_for_is_unexplained():
	row = receipt(10, 200)
	result = reconcile([row], [], [], gl_of(row) + 7, AS_OF)
	assert (result.total_open, result.gl_balance, result.unexplained_remainder) == (2000, 2007, 7)


def test_open_amount_by_age():
	rows = [receipt(1, 100, days=5, name="a"), receipt(1, 50, days=45, name="b"), receipt(1, 10, days=400, name="c")]
	result = reconcile(rows, [], [], gl_of(*rows), AS_OF)
	assert result.open_by_age == {"0-30": 100, "31-60": 50, "61-90": 0, "90+": 10}


# Properties ---------------------------------------------------------------------------------------

rates = st.decimals(min_value="0.01", max_value=10**4, places=2).map(float)
quantities = st.integers(min_value=-50, max_value=50).filter(bool).map(float)
links = st.lists(st.tuples(quantities, rates), max_size=3)


@st.composite
def receipt_rows(draw):
	return [
		receipt(draw(quantities), draw(rates), draw(links), draw(links), draw(st.integers(0, 200)), name=f"r{n}")
		for n in range(draw(st.integers(0, 6)))
	]


leftovers = st.lists(
	st.builds(
		Leftover,
		st.sampled_from(["Purchase Receipt", "Purchase Invoice", "Journal Entry", "Stock Entry"]),
		st.text("ABC123", min_size=1, max_size=4),
		st.just(AS_OF),
		st.decimals(min_value=-10**5, max_value=10**5, places=2).map(float),
		st.integers(0, 5),
	),
	max_size=5,
)


@given(receipt_rows(), leftovers, st.decimals(min_value=-10**6, max_value=10**6, places=2).map(float))
def test_the_summary_always_ties_to_the_gl_balance(rows, extra, gl_balance):
	result = reconcile(rows, [], extra, gl_balance, AS_OF)
	assert cents(result.total_open) + cents(result.explained_difference) + cents(result.unexplained_remainder) == cents(gl_balance)
	assert sum(cents(a) for a in result.open_by_age.values()) == cents(result.total_open)
	for line in result.lines:
		assert cents(line.difference) == cents(line.gl_balance) - cents(line.open_amount)
		assert bool(line.reasons) == bool(cents(line.difference))


@given(receipt_rows(), leftovers)
def test_with_the_gl_the_lines_attribute_only_unexplained_lines_are_unexplained(rows, extra):
	gl_balance = sum(cents(r.credited - r.billed_debit - r.returned_debit) for r in rows) - sum(cents(x.net_debit) for x in extra)
	result = reconcile(rows, [], extra, gl_balance / 100, AS_OF)
	assert sum(cents(line.gl_balance) for line in result.lines) == gl_balance
	assert cents(result.unexplained_remainder) == sum(cents(line.difference) for line in result.lines if not line.explained)


@given(receipt_rows(), st.lists(rates, min_size=6, max_size=6))
def test_open_amount_never_depends_on_the_invoice_rate(rows, other_rates):
	repriced = [
		ReceiptRow(**{**{f: getattr(r, f) for f in r.__slots__}, "billed_debit": round(r.billed_qty * rate, 2)})
		for r, rate in zip(rows, other_rates)
	]
	before = reconcile(rows, [], [], gl_of(*rows), AS_OF)
	after = reconcile(repriced, [], [], gl_of(*repriced), AS_OF)
	assert [line.open_amount for line in before.lines] == [line.open_amount for line in after.lines[: len(before.lines)]]


@given(receipt_rows())
def test_billing_and_returning_at_the_receipt_rate_leaves_at_most_rounding(rows):
	same_rate = [
		receipt(r.qty, r.base_net_amount / r.qty, [(r.billed_qty, r.base_net_amount / r.qty)], [(r.returned_qty, r.base_net_amount / r.qty)], name=r.name)
		for r in rows
	]
	result = reconcile(same_rate, [], [], gl_of(*same_rate), AS_OF)
	assert result.unexplained_remainder == 0
	assert all(set(line.reasons) <= {ROUNDING} for line in result.lines)


# The posting rule applied to scanned rows (core.post, core.leftovers) ---------------------------


def scanned(name, qty, rate, receipt="PR1", gives_back=None, conversion_rate=1.0, up_to_cutover=False):
	return ScannedReceiptRow(
		name, receipt, AS_OF, "Supp", "ITEM", qty, round(qty * rate, 2), round(qty * rate, 2), rate, conversion_rate,
		gives_back, up_to_cutover,
	)  # fmt: skip


def billing(name, invoice, qty, rate, pr_detail, conversion_rate=1.0, on_srbnb=True):
	base = round(qty * rate * conversion_rate, 2)
	return ScannedInvoiceRow(name, invoice, AS_OF, "Supp", "ITEM", qty, base, rate, conversion_rate, pr_detail, on_srbnb)


def test_round_cents_rounds_half_away_from_zero_as_mariadb():
	assert [round_cents(x) for x in (0.005, -0.005, 1.005, 100.125, 2.675, -0.0049999)] == [1, -1, 101, 10013, 268, 0]


def test_invoice_and_return_rows_are_summed_into_the_row_they_bill_and_give_back():
	rows = [scanned("r1", 10, 200), scanned("ret1", -3, 200, receipt="PR2", gives_back="r1")]
	invoices = [billing("i1", "PI1", 6, 210, "r1"), billing("i2", "PI2", 2, 40, None)]
	postings = post(rows, invoices, {})
	[row] = postings.rows
	assert (row.billed_qty, row.billed_debit, row.returned_qty, row.returned_debit) == (6, 1260, 3, 600)
	assert (row.rate_differs, row.exchange_differs, row.links) == (True, False, 2)
	assert [(i.invoice, i.debit) for i in postings.invoices] == [("PI2", 80)]
	assert postings.vouchers[("Purchase Invoice", "PI1")] == [AS_OF, -1260, 1]
	assert postings.vouchers[("Purchase Receipt", "PR2")] == [AS_OF, -600, 1]


def test_an_invoice_at_another_rate_of_exchange_only_debits_at_the_receipts():
	rows = [scanned("r1", 10, 200, conversion_rate=1.10)]
	postings = post(rows, [billing("i1", "PI1", 10, 200, "r1", conversion_rate=1.15)], {}, include_cleared=True)
	assert postings.vouchers[("Purchase Invoice", "PI1")][1] == -2200
	assert (postings.rows[0].billed_debit, postings.rows[0].exchange_differs) == (2200, False)


def test_a_row_billed_outside_the_scanned_rows_uses_the_linked_row():
	linked = {"x1": LinkedReceiptRow("x1", 200, 1.10)}
	postings = post([], [billing("i1", "PI1", 10, 200, "x1", conversion_rate=1.15)], linked)
	assert postings.invoices == [] and postings.vouchers[("Purchase Invoice", "PI1")][1] == -2200


def test_cleared_rows_are_left_out_unless_asked_for():
	rows = [scanned("r1", 10, 200)]
	invoices = [billing("i1", "PI1", 10, 200, "r1")]
	assert post(rows, invoices, {}).rows == []
	assert [row.name for row in post(rows, invoices, {}, include_cleared=True).rows] == ["r1"]


def test_a_migrated_receipts_opening_is_its_gl_and_its_return_before_the_cutover_posts_nothing():
	rows = [scanned("r1", 10, 200), scanned("ret1", -4, 200, receipt="PR2", gives_back="r1", up_to_cutover=True)]
	postings = post(rows, [], {}, [Opening("PR1", "JV1", AS_OF, 1200)])
	assert (postings.rows[0].returned_qty, postings.rows[0].returned_debit) == (4, 0)
	assert postings.vouchers[("Journal Entry", "JV1")] == [AS_OF, 1200, 0]


@given(receipt_rows())
def test_gl_equal_to_the_postings_leaves_nothing_over_and_the_balance_is_the_gls(rows):
	scans = [scanned(row.name, row.qty, row.base_net_amount / row.qty, receipt=f"PR-{row.name}") for row in rows]
	postings = post(scans, [], {})
	gl = {key: (posting_date, -amount) for key, (posting_date, amount, _rows) in postings.vouchers.items()}
	found, balance = voucher_leftovers(postings.vouchers, gl)
	assert found == []
	assert cents(balance) == sum(round_cents(row.credit) for row in scans)
	gl[("Journal Entry", "JV1")] = (AS_OF, -75.0)
	assert voucher_leftovers(postings.vouchers, gl)[0] == [Leftover("Journal Entry", "JV1", AS_OF, -75.0, 0)]
