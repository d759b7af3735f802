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
class ScannedReceiptRow:
	"""A Purchase Receipt Item that credits SRBNB (a return row too), as one scan reads it."""

	name: str
	receipt: str
	posting_date: date
	supplier: str
	item_code: str
	qty: float
	base_net_amount: float
	credit: float  # what it credits: `ReceiptRow.credited`
	net_rate: float
	conversion_rate: float
	gives_back: str | None = None  # for a return row, the receipt row it gives back, if it names one
	up_to_cutover: bool = False  # a migrated company's receipt from before the cutover: no SRBNB GL of its own


@dataclass(frozen=True, slots=True)
class LinkedReceiptRow:
	"""A submitted receipt row (up to the date) an invoice row bills by its pr_detail, but which is not
	one of the scanned rows: what the posting rule needs of it."""

	name: str
	net_rate: float
	conversion_rate: float
	gives_back: str | None = None


@dataclass(frozen=True, slots=True)
class ScannedInvoiceRow:
	"""A submitted Purchase Invoice Item that debits SRBNB, or (for a migrated company) bills
	quantity up to the cutover without debiting it."""

	name: str
	invoice: str
	posting_date: date
	supplier: str
	item_code: str
	qty: float
	base_net_amount: float
	net_rate: float
	conversion_rate: float
	pr_detail: str | None
	on_srbnb: bool


@dataclass(frozen=True, slots=True)
class Opening:
	"""One line of a migration's SRBNB opening journal: what was open of a receipt at the cutover."""

	receipt: str
	journal_entry: str
	cutover: date
	open_value: float


@dataclass(slots=True)
class Postings:
	"""What the scanned rows post by ERPNext's rule: per receipt row (`rows`), invoice rows without
	a receipt row, and per voucher (type, no) [first posting date, net debit, rows that posted]."""

	rows: list[ReceiptRow]
	invoices: list[InvoiceRow]
	vouchers: dict[tuple[str, str], list]


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


def round_cents(amount: float) -> int:
	"""Cents rounded half away from zero, as MariaDB rounds a decimal. The amounts come from
	decimal(21,9) columns; 1e-9 cents lifts a float just under a half cent back to it."""
	whole = int(abs(amount) * 100 + 0.5 + 1e-9)
	return whole if amount >= 0 else -whole


def age_bucket(days: int) -> str:
	return next(label for limit, label in AGE_BUCKETS if limit is None or days <= limit)


def post(
	receipts: list[ScannedReceiptRow],
	invoices: list[ScannedInvoiceRow],
	linked: dict[str, LinkedReceiptRow],
	openings: list[Opening] = (),
	include_cleared: bool = False,
) -> Postings:
	"""Each receipt row's billed and returned postings (a return row is summed into the row it
	gives back; an invoice row into the row its pr_detail bills, or that row's original when it
	bills a return row), and each voucher's postings. `linked`: the rows invoice rows bill that are
	not among `receipts`. Receipt rows neither open nor differing are left out unless
	`include_cleared`."""
	scanned = {row.name: row for row in receipts}
	vouchers = {}

	def add(voucher_type, voucher_no, posting_date, amount, rows=1):
		voucher = vouchers.get((voucher_type, voucher_no))
		if voucher is None:
			vouchers[(voucher_type, voucher_no)] = [posting_date, amount, rows]
		else:
			voucher[0] = min(voucher[0], posting_date)
			voucher[1] += amount
			voucher[2] += rows

	billed = {}  # original row: [qty, debit cents, rate differs, exchange differs, rows]
	without_receipt = []
	for row in invoices:
		link = scanned.get(row.pr_detail) or linked.get(row.pr_detail)
		debit = invoice_debit(row, link) if row.on_srbnb else 0
		if row.on_srbnb:
			add(INVOICE, row.invoice, row.posting_date, -debit / 100)
		if link is None:
			if row.on_srbnb:
				without_receipt.append(
					InvoiceRow(row.name, row.invoice, row.posting_date, row.supplier, row.item_code, row.qty, debit / 100)
				)
			continue
		sums = billed.setdefault(link.gives_back or link.name, [0.0, 0, False, False, 0])
		other_rate = row.on_srbnb and row.net_rate != link.net_rate
		sums[0] += row.qty
		sums[1] += debit
		sums[2] = sums[2] or other_rate
		sums[3] = sums[3] or (other_rate and row.conversion_rate != link.conversion_rate)
		sums[4] += 1

	returned = {}  # original row: [qty, debit, rate differs, rows]
	for row in receipts:
		add(RECEIPT, row.receipt, row.posting_date, row.credit)
		original = scanned.get(row.gives_back) if row.gives_back else None
		if original is not None:
			sums = returned.setdefault(original.name, [0.0, 0.0, False, 0])
			sums[0] -= row.qty
			# a migrated company's return up to the cutover posted nothing to SRBNB
			if not row.up_to_cutover:
				sums[1] -= row.credit
				sums[2] = sums[2] or row.net_rate != original.net_rate
			sums[3] += 1
	for opening in openings:
		# a migration's opening line is its receipt's GL, and accounts for the journal's
		add(RECEIPT, opening.receipt, opening.cutover, -opening.open_value, rows=0)
		add(JOURNAL, opening.journal_entry, opening.cutover, opening.open_value, rows=0)

	rows = []
	for row in receipts:
		if row.gives_back:
			continue
		billed_qty, billed_cents, rate_differs, exchange_differs, billed_rows = billed.get(row.name, (0.0, 0, False, False, 0))
		returned_qty, returned_debit, return_rate_differs, returned_rows = returned.get(row.name, (0.0, 0.0, False, 0))
		if not include_cleared and not (
			round(row.qty - billed_qty - returned_qty, 9) or round_cents(row.credit - billed_cents / 100 - returned_debit)
		):
			continue
		rows.append(
			ReceiptRow(
				row.name, row.receipt, row.posting_date, row.supplier, row.item_code, row.qty, row.base_net_amount,
				row.credit, billed_qty, billed_cents / 100, returned_qty, returned_debit,
				rate_differs or return_rate_differs, exchange_differs, billed_rows + returned_rows,
			)
		)  # fmt: skip
	return Postings(rows, without_receipt, vouchers)


def invoice_debit(row: ScannedInvoiceRow, link: LinkedReceiptRow | ScannedReceiptRow | None) -> int:
	"""An invoice row's SRBNB debit in cents: its net amount, at its receipt's rate of exchange when
	only that differs (ERPNext books the rest to exchange gain or loss)."""
	amount = row.base_net_amount
	if link is not None and row.conversion_rate != link.conversion_rate and row.net_rate == link.net_rate:
		amount += row.qty * row.net_rate * (link.conversion_rate - row.conversion_rate)
	return round_cents(amount)


def leftovers(vouchers: dict, gl: dict) -> tuple[list[Leftover], float]:
	"""Each voucher's SRBNB GL (`gl`: (voucher type, no) -> (first posting date, net debit)) minus
	its rows' postings (`Postings.vouchers`), where not zero, and the account's credit balance."""
	left = {key: [posting_date, net_debit, 0] for key, (posting_date, net_debit) in gl.items()}
	for key, (posting_date, amount, rows) in vouchers.items():
		voucher = left.setdefault(key, [posting_date, 0.0, 0])
		voucher[0] = min(voucher[0], posting_date)
		voucher[1] += amount
		voucher[2] += rows
	found = [
		Leftover(voucher_type, voucher_no, posting_date, round_cents(amount) / 100, rows)
		for (voucher_type, voucher_no), (posting_date, amount, rows) in sorted(left.items())
		if round_cents(amount)
	]
	return found, -round_cents(sum(net_debit for _, net_debit in gl.values())) / 100


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
