"""Stock Received But Not Billed (SRBNB) reconciliation: plain rows in, explained rows out.

ERPNext posts SRBNB per voucher, not per row (a receipt's or an invoice's SRBNB lines carry no
row reference and are merged), so the GL is attributed to document rows by ERPNext's own posting
rule: a receipt row credits its `base_net_amount` (plus any `rate_difference_with_purchase_invoice`),
an invoice row debits its `base_net_amount`, corrected to the receipt's exchange rate when only the
rate of exchange differs. What a voucher's GL holds beyond its rows' postings stays a line of its
own with a reason. Every cent of the account is therefore on exactly one line, and the summary ties
to the GL balance by construction.

All amounts are worked in integer cents of the company currency, so that sums tie exactly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

RECEIPT = "Purchase Receipt"
INVOICE = "Purchase Invoice"
JOURNAL = "Journal Entry"

# Reasons a line differs from its open amount. Only UNEXPLAINED counts in the remainder.
RATE_DIFFERENCE = "Rate difference"
EXCHANGE_DIFFERENCE = "Exchange difference"
TAX_TO_SRBNB = "Tax posted to SRBNB"
JOURNAL_TO_SRBNB = "Journal entry to SRBNB"
INVOICE_WITHOUT_RECEIPT = "Invoice without receipt"
CANCELLED = "Cancelled document"
REPOSTED = "Reposted document"
ROUNDING = "Rounding"
UNEXPLAINED = "Unexplained"

AGE_BUCKETS = ((30, "0-30"), (60, "31-60"), (90, "61-90"), (None, "90+"))
RATE_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class ReceiptRow:
	"""A submitted Purchase Receipt Item that credits SRBNB (returns have negative qty)."""

	name: str
	receipt: str
	posting_date: date
	supplier: str
	item_code: str
	qty: float
	base_net_amount: float
	net_rate: float
	conversion_rate: float
	rate_difference: float = 0.0  # rate_difference_with_purchase_invoice, also credited to SRBNB
	return_of: str | None = None  # the Purchase Receipt Item a return row gives back


@dataclass(frozen=True, slots=True)
class InvoiceRow:
	"""A submitted Purchase Invoice Item whose expense account is SRBNB."""

	name: str
	invoice: str
	posting_date: date
	supplier: str
	item_code: str
	pr_detail: str | None
	qty: float
	base_net_amount: float
	net_rate: float
	conversion_rate: float


@dataclass(frozen=True, slots=True)
class VoucherGL:
	"""A voucher's net movement (debit - credit) on the SRBNB account up to the as-of date."""

	voucher_type: str
	voucher_no: str
	posting_date: date
	net_debit: float


@dataclass(frozen=True, slots=True)
class VoucherFacts:
	"""Vouchers whose leftover SRBNB GL has a known cause: (voucher_type, voucher_no) pairs."""

	cancelled: frozenset = frozenset()  # docstatus 2 with GL that is not cancelled
	reposted: frozenset = frozenset()  # named by a submitted repost
	taxed: frozenset = frozenset()  # with a charge on SRBNB or a valuation charge


@dataclass(slots=True)
class Line:
	"""One line of the reconciliation; amounts in company currency, balances as credit."""

	voucher_type: str
	voucher_no: str
	detail: str | None
	posting_date: date
	supplier: str | None = None
	item_code: str | None = None
	received_qty: float = 0.0
	received_amount: float = 0.0
	billed_qty: float = 0.0
	billed_amount: float = 0.0
	returned_qty: float = 0.0
	returned_amount: float = 0.0
	open_qty: float = 0.0
	open_amount: float = 0.0
	gl_balance: float = 0.0
	difference: float = 0.0
	reasons: tuple[str, ...] = ()
	age_days: int = 0

	@property
	def explained(self) -> bool:
		return UNEXPLAINED not in self.reasons


@dataclass(slots=True)
class Reconciliation:
	lines: list[Line]
	total_open: float
	gl_balance: float
	explained_difference: float
	unexplained_remainder: float
	open_by_age: dict[str, float] = field(default_factory=dict)


def cents(amount: float) -> int:
	return round(amount * 100)


def money(amount_cents: int) -> float:
	return amount_cents / 100


def age_bucket(days: int) -> str:
	return next(label for limit, label in AGE_BUCKETS if limit is None or days <= limit)


def reconcile(
	receipts: list[ReceiptRow],
	invoices: list[InvoiceRow],
	gl: list[VoucherGL],
	as_of: date,
	facts: VoucherFacts = VoucherFacts(),
	rounding_cents: int = 1,
) -> Reconciliation:
	by_name = {row.name: row for row in receipts}

	def root(row: ReceiptRow) -> ReceiptRow:
		"""The receipt row a return (or a return of a return) gives back; a row in a loop of
		returns, which ERPNext cannot make, stands for itself so that nothing is lost."""
		start, seen = row, {row.name}
		while row.return_of in by_name:
			if row.return_of in seen:
				return start
			row = by_name[row.return_of]
			seen.add(row.name)
		return row

	returns = defaultdict(list)
	originals = []
	for row in receipts:
		original = root(row)
		if original is row:
			originals.append(row)
		else:
			returns[original.name].append(row)

	# Expected SRBNB posting (debit positive, cents) of every document row, summed per voucher.
	expected_by_voucher = defaultdict(int)
	rows_per_voucher = defaultdict(int)
	for row in receipts:
		expected_by_voucher[(RECEIPT, row.receipt)] += receipt_posting(row)
		rows_per_voucher[(RECEIPT, row.receipt)] += 1

	billed = defaultdict(list)  # original receipt row -> [(invoice row, its posting in cents)]
	lines = []
	for row in invoices:
		linked = by_name.get(row.pr_detail)
		posting = invoice_posting(row, linked)
		expected_by_voucher[(INVOICE, row.invoice)] += posting
		rows_per_voucher[(INVOICE, row.invoice)] += 1
		if linked is not None:
			billed[root(linked).name].append((row, posting))
		else:
			lines.append(invoice_without_receipt_line(row, posting, as_of))

	for row in originals:
		lines.append(receipt_line(row, returns.get(row.name, ()), billed.get(row.name, ()), as_of, rounding_cents))

	gl_total = 0
	seen = set()
	for voucher in gl:
		key = (voucher.voucher_type, voucher.voucher_no)
		seen.add(key)
		actual = cents(voucher.net_debit)
		gl_total += actual
		leftover = actual - expected_by_voucher.get(key, 0)
		if leftover:
			lines.append(leftover_line(voucher, leftover, facts, rows_per_voucher.get(key, 0), as_of, rounding_cents))
	# A voucher whose rows should have posted but whose GL is missing is a leftover too.
	for key, expected in expected_by_voucher.items():
		if key not in seen and expected:
			voucher = VoucherGL(key[0], key[1], as_of, 0.0)
			lines.append(leftover_line(voucher, -expected, facts, rows_per_voucher[key], as_of, rounding_cents))

	return summarise(lines, gl_total)


def receipt_posting(row: ReceiptRow) -> int:
	return -cents(row.base_net_amount + row.rate_difference)


def invoice_posting(row: InvoiceRow, receipt: ReceiptRow | None) -> int:
	"""ERPNext's debit of an invoice row to SRBNB: its base net amount, plus, when only the rate of
	exchange differs from the receipt's, the correction back to the receipt's rate (the other side
	goes to Exchange Gain/Loss), which clears SRBNB."""
	posting = row.base_net_amount
	if (
		receipt is not None
		and receipt.conversion_rate
		and abs(receipt.conversion_rate - row.conversion_rate) > RATE_EPSILON
		and abs(receipt.net_rate - row.net_rate) <= RATE_EPSILON
	):
		posting += row.qty * row.net_rate * (receipt.conversion_rate - row.conversion_rate)
	return cents(posting)


def receipt_line(row: ReceiptRow, returns, billed, as_of: date, rounding_cents: int) -> Line:
	billed_qty = sum(invoice.qty for invoice, _ in billed)
	billed_cents = sum(posting for _, posting in billed)
	returned_qty = -sum(r.qty for r in returns)
	returned_cents = -sum(cents(r.base_net_amount) for r in returns)
	open_qty = row.qty - billed_qty - returned_qty
	# Open by quantity at the receipt's own rate: what the invoices were billed at does not matter.
	open_cents = round(cents(row.base_net_amount) * open_qty / row.qty) if row.qty else 0
	gl_cents = -(receipt_posting(row) + sum(receipt_posting(r) for r in returns) + billed_cents)
	difference = gl_cents - open_cents

	reasons = ()
	if difference:
		found = []
		others = [invoice for invoice, _ in billed] + list(returns)
		if any(abs(other.net_rate - row.net_rate) > RATE_EPSILON for other in others):
			found.append(RATE_DIFFERENCE)
		if any(
			abs(invoice.conversion_rate - row.conversion_rate) > RATE_EPSILON
			and abs(invoice.net_rate - row.net_rate) > RATE_EPSILON
			for invoice, _ in billed
		):
			found.append(EXCHANGE_DIFFERENCE)
		if not found:
			# each rounded amount may be half a cent off, the open amount scaled by open / received
			tolerance = rounding_cents * (1 + len(others) + (abs(open_qty / row.qty) if row.qty else 0))
			found.append(ROUNDING if abs(difference) <= tolerance else UNEXPLAINED)
		reasons = tuple(found)

	return Line(
		voucher_type=RECEIPT,
		voucher_no=row.receipt,
		detail=row.name,
		posting_date=row.posting_date,
		supplier=row.supplier,
		item_code=row.item_code,
		received_qty=row.qty,
		received_amount=money(cents(row.base_net_amount)),
		billed_qty=billed_qty,
		billed_amount=money(billed_cents),
		returned_qty=returned_qty,
		returned_amount=money(returned_cents),
		open_qty=open_qty,
		open_amount=money(open_cents),
		gl_balance=money(gl_cents),
		difference=money(difference),
		reasons=reasons,
		age_days=(as_of - row.posting_date).days,
	)


def invoice_without_receipt_line(row: InvoiceRow, posting: int, as_of: date) -> Line:
	return Line(
		voucher_type=INVOICE,
		voucher_no=row.invoice,
		detail=row.name,
		posting_date=row.posting_date,
		supplier=row.supplier,
		item_code=row.item_code,
		billed_qty=row.qty,
		billed_amount=money(posting),
		gl_balance=money(-posting),
		difference=money(-posting),
		reasons=(INVOICE_WITHOUT_RECEIPT,) if posting else (),
		age_days=(as_of - row.posting_date).days,
	)


def leftover_line(voucher: VoucherGL, leftover: int, facts: VoucherFacts, rows: int, as_of, rounding_cents) -> Line:
	"""The part of a voucher's SRBNB GL that none of its rows accounts for."""
	key = (voucher.voucher_type, voucher.voucher_no)
	if key in facts.cancelled:
		reason = CANCELLED
	elif voucher.voucher_type == JOURNAL:
		reason = JOURNAL_TO_SRBNB
	elif key in facts.taxed:
		reason = TAX_TO_SRBNB
	elif key in facts.reposted:
		reason = REPOSTED
	elif rows and abs(leftover) <= rounding_cents * rows:
		reason = ROUNDING
	else:
		reason = UNEXPLAINED
	return Line(
		voucher_type=voucher.voucher_type,
		voucher_no=voucher.voucher_no,
		detail=None,
		posting_date=voucher.posting_date,
		gl_balance=money(-leftover),
		difference=money(-leftover),
		reasons=(reason,),
		age_days=(as_of - voucher.posting_date).days,
	)


def summarise(lines: list[Line], gl_total_debit_cents: int) -> Reconciliation:
	total_open = explained = unexplained = 0
	by_age = {label: 0 for _, label in AGE_BUCKETS}
	for line in lines:
		open_cents = cents(line.open_amount)
		total_open += open_cents
		by_age[age_bucket(line.age_days)] += open_cents
		if line.explained:
			explained += cents(line.difference)
		else:
			unexplained += cents(line.difference)
	return Reconciliation(
		lines=lines,
		total_open=money(total_open),
		gl_balance=money(-gl_total_debit_cents),
		explained_difference=money(explained),
		unexplained_remainder=money(unexplained),
		open_by_age={label: money(amount) for label, amount in by_age.items()},
	)
