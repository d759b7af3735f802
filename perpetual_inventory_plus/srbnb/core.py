"""Stock Received But Not Billed (SRBNB) reconciliation: plain rows in, explained lines out.

ERPNext posts SRBNB per voucher, not per row (a receipt's or an invoice's SRBNB lines carry no
row reference and are merged), so the GL is attributed to receipt rows by ERPNext's own posting
rule: a receipt row credits its `base_net_amount` (plus its adjustment to an invoice's rate),
an invoice row debits its `base_net_amount`, corrected to the receipt's exchange rate when only the
rate of exchange differs, and a return debits what it gives back. The site layer sums those
postings per receipt row (`ReceiptRow`), and per voucher subtracts them from the voucher's GL:
what is left (`Leftover`) is a line of its own with a reason. Receipt rows that are neither open
nor differ need not be passed: they add nothing to any total.

All amounts are worked in integer cents of the company currency, so that sums tie exactly; what
the lines do not account for of the GL balance is, by definition, unexplained.
"""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class ReceiptRow:
	"""A submitted Purchase Receipt Item that credits SRBNB, with what billed and returned it.

	A return row stands for itself only when it names no receipt row it gives back."""

	name: str
	receipt: str
	posting_date: date
	supplier: str
	item_code: str
	qty: float
	base_net_amount: float
	# its own SRBNB credit: base_net_amount + its adjustment to an invoice's rate; for a receipt
	# from before a migration to perpetual inventory, its part of the migration's opening
	credited: float
	billed_qty: float = 0.0
	billed_debit: float = 0.0  # the SRBNB debits of the invoice rows billing it (pr_detail)
	returned_qty: float = 0.0
	returned_debit: float = 0.0  # the SRBNB debits of the return rows giving it back
	rate_differs: bool = False  # an invoice or return at another net rate
	exchange_differs: bool = False  # an invoice at another rate and another rate of exchange
	links: int = 0  # invoice and return rows: each may round half a cent


@dataclass(frozen=True, slots=True)
class InvoiceRow:
	"""A submitted Purchase Invoice Item that debits SRBNB without a receipt row to clear."""

	name: str
	invoice: str
	posting_date: date
	supplier: str
	item_code: str
	qty: float
	debit: float


@dataclass(frozen=True, slots=True)
class Leftover:
	"""The part of a voucher's SRBNB GL (up to the as-of date) its rows' postings do not account
	for, as net debit; `rows` is how many of its rows posted."""

	voucher_type: str
	voucher_no: str
	posting_date: date
	net_debit: float
	rows: int = 0


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
	leftovers: list[Leftover],
	gl_balance: float,
	as_of: date,
	facts: VoucherFacts = VoucherFacts(),
	rounding_cents: int = 1,
) -> Reconciliation:
	"""`gl_balance` is the SRBNB account's credit balance as of the date, from the GL."""
	lines = [receipt_line(row, as_of, rounding_cents) for row in receipts]
	lines += [invoice_without_receipt_line(row, as_of) for row in invoices]
	lines += [leftover_line(leftover, facts, as_of, rounding_cents) for leftover in leftovers if cents(leftover.net_debit)]
	return summarise(lines, cents(gl_balance))


def receipt_line(row: ReceiptRow, as_of: date, rounding_cents: int) -> Line:
	open_qty = row.qty - row.billed_qty - row.returned_qty
	# Open by quantity at the receipt's own rate: what the invoices were billed at does not matter.
	open_cents = round(cents(row.base_net_amount) * open_qty / row.qty) if row.qty else 0
	gl_cents = cents(row.credited) - cents(row.billed_debit) - cents(row.returned_debit)
	difference = gl_cents - open_cents

	reasons = ()
	if difference:
		found = [RATE_DIFFERENCE] if row.rate_differs else []
		if row.exchange_differs:
			found.append(EXCHANGE_DIFFERENCE)
		if not found:
			# each rounded amount may be half a cent off, the open amount scaled by open / received
			tolerance = rounding_cents * (1 + row.links + (abs(open_qty / row.qty) if row.qty else 0))
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
		billed_qty=row.billed_qty,
		billed_amount=money(cents(row.billed_debit)),
		returned_qty=row.returned_qty,
		returned_amount=money(cents(row.returned_debit)),
		open_qty=open_qty,
		open_amount=money(open_cents),
		gl_balance=money(gl_cents),
		difference=money(difference),
		reasons=reasons,
		age_days=(as_of - row.posting_date).days,
	)


def invoice_without_receipt_line(row: InvoiceRow, as_of: date) -> Line:
	debit = cents(row.debit)
	return Line(
		voucher_type=INVOICE,
		voucher_no=row.invoice,
		detail=row.name,
		posting_date=row.posting_date,
		supplier=row.supplier,
		item_code=row.item_code,
		billed_qty=row.qty,
		billed_amount=money(debit),
		gl_balance=money(-debit),
		difference=money(-debit),
		reasons=(INVOICE_WITHOUT_RECEIPT,) if debit else (),
		age_days=(as_of - row.posting_date).days,
	)


def leftover_line(leftover: Leftover, facts: VoucherFacts, as_of: date, rounding_cents: int) -> Line:
	key = (leftover.voucher_type, leftover.voucher_no)
	amount = cents(leftover.net_debit)
	if key in facts.cancelled:
		reason = CANCELLED
	elif leftover.voucher_type == JOURNAL:
		reason = JOURNAL_TO_SRBNB
	elif key in facts.taxed:
		reason = TAX_TO_SRBNB
	elif key in facts.reposted:
		reason = REPOSTED
	elif leftover.rows and abs(amount) <= rounding_cents * leftover.rows:
		reason = ROUNDING
	else:
		reason = UNEXPLAINED
	return Line(
		voucher_type=leftover.voucher_type,
		voucher_no=leftover.voucher_no,
		detail=None,
		posting_date=leftover.posting_date,
		gl_balance=money(-amount),
		difference=money(-amount),
		reasons=(reason,),
		age_days=(as_of - leftover.posting_date).days,
	)


def summarise(lines: list[Line], gl_cents: int) -> Reconciliation:
	total_open = explained = 0
	by_age = {label: 0 for _, label in AGE_BUCKETS}
	for line in lines:
		open_cents = cents(line.open_amount)
		total_open += open_cents
		by_age[age_bucket(line.age_days)] += open_cents
		if line.explained:
			explained += cents(line.difference)
	return Reconciliation(
		lines=lines,
		total_open=money(total_open),
		gl_balance=money(gl_cents),
		explained_difference=money(explained),
		# what no explained line accounts for: the unexplained lines, and anything the lines miss
		unexplained_remainder=money(gl_cents - total_open - explained),
		open_by_age={label: money(amount) for label, amount in by_age.items()},
	)
