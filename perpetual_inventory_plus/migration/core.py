"""The plan for moving a company from periodic to perpetual inventory (seeds 000 and 001).

Pure: no Frappe import. The site layer (`perpetual_inventory_plus.migration.plan`) aggregates the
stock ledger, the GL and the receipts with SQL and hands the sums in; everything here is plain
data in, plain data out, so the plan the Desk shows, the bench command prints and the execution
posts is one computation.

Seed 001's steps, as the plan holds them:
1. the default accounts the company needs (`plan_defaults`);
2. each warehouse with stock and the inventory account it resolves to, and every warehouse that
   resolves to none as a blocker (`plan_stock`);
3. per inventory account, stock value against GL balance as of the cutover, and the journal lines
   that sync them against the expense account (`sync_lines`);
4. Stock Received But Not Billed for what was received and not billed by the cutover, per
   receipt, and the journal lines that open it (`plan_receipts`, `srbnb_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

# Company fields the seeds ask for, with the account type that identifies a candidate ledger
# (None: not an account).
DEFAULT_FIELDS: tuple[tuple[str, str, str | None], ...] = (
	("default_inventory_account", "Default Inventory Account", "Stock"),
	("stock_received_but_not_billed", "Stock Received But Not Billed", "Stock Received But Not Billed"),
	("stock_adjustment_account", "Stock Adjustment Account", "Stock Adjustment"),
	("expenses_included_in_valuation", "Expenses Included In Valuation", "Expenses Included In Valuation"),
	("cost_center", "Cost Center", None),
)

KEEP = "Keep"  # the company has it and nobody asked for another
SET = "Set"  # execute sets it: chosen on the migration, or the company's only candidate
CHOOSE = "Choose"  # nothing set and no single candidate: the user must choose (a blocker)


@dataclass(frozen=True)
class DefaultAccount:
	fieldname: str
	label: str
	current: str | None
	value: str | None
	action: str


@dataclass(frozen=True)
class StockPosition:
	"""An item's quantity and value in a warehouse as of the cutover, summed from the stock ledger."""

	item: str
	warehouse: str
	qty: float
	value: float


@dataclass(frozen=True)
class WarehouseAccount:
	"""Stock of a warehouse that goes to one inventory account (a rule may send some items of a
	warehouse elsewhere; then the warehouse has one line per account)."""

	warehouse: str
	account: str
	source: str  # how the account was found: the resolver's step
	items: int
	value: float


@dataclass(frozen=True)
class AccountSync:
	account: str
	stock_value: float
	gl_balance: float
	difference: float  # stock value - GL balance: what the sync journal debits


@dataclass(frozen=True)
class ReceiptRow:
	"""A Purchase Receipt row with what was billed and returned against it by the cutover, all in
	stock quantities; `amount` is the row's net amount in company currency, what a perpetual
	receipt credits to Stock Received But Not Billed."""

	receipt: str
	supplier: str
	posting_date: str
	qty: float
	amount: float
	billed_qty: float
	returned_qty: float


@dataclass(frozen=True)
class ReceiptOpening:
	receipt: str
	supplier: str
	posting_date: str
	received_value: float
	billed_value: float
	returned_value: float
	open_value: float


@dataclass(frozen=True)
class JournalLine:
	account: str
	debit: float
	credit: float
	remark: str


@dataclass(frozen=True)
class MigrationPlan:
	defaults: tuple[DefaultAccount, ...]
	warehouses: tuple[WarehouseAccount, ...]
	accounts: tuple[AccountSync, ...]
	receipts: tuple[ReceiptOpening, ...]
	sync_lines: tuple[JournalLine, ...]
	srbnb_lines: tuple[JournalLine, ...]
	expense_account: str | None = None
	blockers: tuple[str, ...] = field(default=())


def plan_defaults(
	current: Mapping[str, str | None],
	chosen: Mapping[str, str | None],
	candidates: Mapping[str, Sequence[str]],
	fields: Sequence[tuple[str, str, str | None]] = DEFAULT_FIELDS,
	unneeded: Iterable[str] = (),
) -> tuple[DefaultAccount, ...]:
	"""What each company default of `fields` (those of DEFAULT_FIELDS the release's Company has)
	will be: what the user chose on the migration, else what the company has, else the company's
	only candidate; with none of these the user must choose. A default in `unneeded` (nothing
	will post to it) keeps what the company has, even nothing, unless the user chose one."""
	plan = []
	for fieldname, label, _account_type in fields:
		now, wanted = current.get(fieldname) or None, chosen.get(fieldname) or None
		options = candidates.get(fieldname) or ()
		if wanted and wanted != now:
			plan.append(DefaultAccount(fieldname, label, now, wanted, SET))
		elif now or fieldname in unneeded:
			plan.append(DefaultAccount(fieldname, label, now, now, KEEP))
		elif len(options) == 1:
			plan.append(DefaultAccount(fieldname, label, now, options[0], SET))
		else:
			plan.append(DefaultAccount(fieldname, label, now, None, CHOOSE))
	return tuple(plan)


class Unresolved(Exception):
	"""What a resolver callback raises for a row that has no inventory account."""


def default_inventory_account_needed(
	positions: Iterable[StockPosition], resolve_without_default: Callable[[str, str], object]
) -> bool:
	"""Whether some stock the company holds will post to its Default Inventory Account: a
	warehouse with no account of its own or of a parent warehouse, and no rule for the item there.
	`resolve_without_default(item, warehouse)` raises `Unresolved` for such a position."""
	for pos in positions:
		try:
			resolve_without_default(pos.item, pos.warehouse)
		except Unresolved:
			return True
	return False


def plan_stock(
	positions: Iterable[StockPosition],
	resolve: Callable[[str, str], tuple[str, str]],
	gl_balances: Mapping[str, float],
	precision: int = 2,
) -> tuple[tuple[WarehouseAccount, ...], tuple[AccountSync, ...], tuple[str, ...]]:
	"""Warehouse lines, account syncs and blockers.

	`resolve(item, warehouse)` gives (account, source) or raises `Unresolved`. `gl_balances` holds
	the GL balance (debit - credit) as of the cutover of every inventory account that has one;
	an account with a balance and no stock is synced to zero, as seed 000 nullifies it.
	"""
	lines: dict[tuple[str, str], list] = {}  # (warehouse, account) -> [source, items, value]
	unresolved: dict[str, list[str]] = {}
	for pos in positions:
		try:
			account, source = resolve(pos.item, pos.warehouse)
		except Unresolved:
			unresolved.setdefault(pos.warehouse, []).append(pos.item)
			continue
		line = lines.setdefault((pos.warehouse, account), [source, 0, 0.0])
		line[1] += 1
		line[2] += pos.value

	warehouses = tuple(
		WarehouseAccount(wh, account, source, items, round(value, precision))
		for (wh, account), (source, items, value) in sorted(lines.items())
	)
	stock_by_account: dict[str, float] = {}
	for (_wh, account), (_source, _items, value) in lines.items():
		stock_by_account[account] = stock_by_account.get(account, 0.0) + value

	accounts = []
	for account in sorted(set(stock_by_account) | {a for a, b in gl_balances.items() if round(b, precision)}):
		stock = round(stock_by_account.get(account, 0.0), precision)
		gl = round(gl_balances.get(account, 0.0), precision)
		accounts.append(AccountSync(account, stock, gl, round(stock - gl, precision)))

	blockers = tuple(
		f"Warehouse {wh} resolves to no inventory account for {len(items)} item(s) with stock "
		f"({', '.join(sorted(items)[:3])}{', ...' if len(items) > 3 else ''}): link an account to it, "
		"a parent warehouse or the company's Default Inventory Account"
		for wh, items in sorted(unresolved.items())
	)
	return warehouses, tuple(accounts), blockers


def plan_receipts(rows: Iterable[ReceiptRow], precision: int = 2) -> tuple[ReceiptOpening, ...]:
	"""Per receipt, what is still to be billed, valued at the receipt's own rate.

	By quantity, not by amount: an invoice at another rate than its receipt bills the quantity, and
	the rate difference is the invoice's, not a value still open. A row billed or returned beyond
	its quantity has nothing open (it never goes negative).
	"""
	sums: dict[str, list] = {}
	for row in rows:
		rate = row.amount / row.qty if row.qty else 0.0
		open_qty = max(row.qty - row.billed_qty - row.returned_qty, 0.0)
		# A row with nothing billed or returned opens exactly its amount, as a perpetual receipt posts.
		open_value = row.amount if open_qty == row.qty else open_qty * rate
		entry = sums.setdefault(row.receipt, [row.supplier, row.posting_date, 0.0, 0.0, 0.0, 0.0])
		entry[2] += row.amount
		entry[3] += row.billed_qty * rate
		entry[4] += row.returned_qty * rate
		entry[5] += open_value
	openings = (
		ReceiptOpening(
			receipt,
			supplier,
			posting_date,
			round(received, precision),
			round(billed, precision),
			round(returned, precision),
			round(open_value, precision),
		)
		for receipt, (supplier, posting_date, received, billed, returned, open_value) in sorted(
			sums.items(), key=lambda kv: (str(kv[1][1]), kv[0])
		)
	)
	return tuple(o for o in openings if o.open_value)


def _balancing(lines: list[JournalLine], account: str, remark: str, precision: int) -> list[JournalLine]:
	net = round(sum(line.debit - line.credit for line in lines), precision)
	if net:
		lines.append(JournalLine(account, max(-net, 0.0), max(net, 0.0), remark))
	return lines


def sync_lines(accounts: Iterable[AccountSync], expense_account: str | None, precision: int = 2) -> tuple[JournalLine, ...]:
	"""Seed 001 step 1: Dr stock account / Cr expense account by the difference (or the reverse).
	Accounts already in line get no line: ERPNext refuses a journal line on a stock account whose
	balance already equals its stock value."""
	lines = [
		JournalLine(a.account, max(a.difference, 0.0), max(-a.difference, 0.0), "Stock value as of the cutover")
		for a in accounts
		if a.difference
	]
	if not lines:
		return ()
	return tuple(_balancing(lines, expense_account, "Stock value moved from the expense account", precision))


def srbnb_lines(
	openings: Iterable[ReceiptOpening],
	srbnb_account: str | None,
	srbnb_balance: float,
	expense_account: str | None,
	precision: int = 2,
) -> tuple[JournalLine, ...]:
	"""Seed 001 step 3: Cr Stock Received But Not Billed / Dr expense account, one credit line per
	receipt so that each receipt's opening can be found again. A balance the account already has
	as of the cutover is brought to the same end: the account credits exactly what is open."""
	lines = [JournalLine(srbnb_account, 0.0, o.open_value, f"Purchase Receipt {o.receipt}") for o in openings]
	existing = round(srbnb_balance, precision)
	if existing:
		lines.append(
			JournalLine(srbnb_account, max(-existing, 0.0), max(existing, 0.0), "Balance before the cutover")
		)
	if not lines:
		return ()
	return tuple(_balancing(lines, expense_account, "Received not billed, moved from the expense account", precision))


def cutover_blockers(cutover: str, today: str, entries_after_cutover: int) -> tuple[str, ...]:
	"""Dates are ISO strings. Stock booked after the cutover under periodic inventory has no GL, and
	would stay out of line for ever once the company is perpetual."""
	blockers = []
	if cutover > today:
		blockers.append(f"The cutover {cutover} is in the future; choose today ({today}) or an earlier date")
	if entries_after_cutover:
		blockers.append(
			f"{entries_after_cutover} stock ledger entries are dated after the cutover {cutover}; "
			"choose a cutover on or after the last stock transaction"
		)
	return tuple(blockers)


def default_blockers(defaults: Iterable[DefaultAccount]) -> tuple[str, ...]:
	return tuple(
		f"{d.label}: the company has none and no single candidate; choose one on the migration"
		for d in defaults
		if d.action == CHOOSE
	)


def build_plan(
	defaults: tuple[DefaultAccount, ...],
	stock: tuple[tuple[WarehouseAccount, ...], tuple[AccountSync, ...], tuple[str, ...]],
	receipts: tuple[ReceiptOpening, ...],
	srbnb_balance: float,
	expense_account: str | None,
	extra_blockers: Sequence[str] = (),
	precision: int = 2,
) -> MigrationPlan:
	"""The whole plan. Without an expense account of its own the migration uses the company's
	Stock Adjustment Account as it will be after the migration (seed 001's expense account)."""
	warehouses, accounts, stock_blockers = stock
	planned = {d.fieldname: d.value for d in defaults}
	srbnb_account = planned["stock_received_but_not_billed"]
	expense_account = expense_account or planned["stock_adjustment_account"]
	blockers = (*default_blockers(defaults), *stock_blockers, *extra_blockers)
	if not expense_account:
		blockers = (*blockers, "Expense Account: choose the account that absorbs the differences")
	return MigrationPlan(
		defaults=defaults,
		warehouses=warehouses,
		accounts=accounts,
		receipts=receipts,
		sync_lines=sync_lines(accounts, expense_account, precision),
		srbnb_lines=srbnb_lines(receipts, srbnb_account, srbnb_balance, expense_account, precision),
		expense_account=expense_account,
		blockers=tuple(blockers),
	)
