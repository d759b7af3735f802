"""The periodic-to-perpetual plan: seed 001's steps on small examples, and the properties that make
the journals right whatever the figures (hypothesis)."""

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from perpetual_inventory_plus.migration.core import (
	CHOOSE,
	KEEP,
	SET,
	AccountSync,
	ReceiptRow,
	StockPosition,
	Unresolved,
	build_plan,
	cutover_blockers,
	default_inventory_account_needed,
	plan_defaults,
	plan_receipts,
	plan_stock,
	srbnb_lines,
	sync_lines,
)

EXPENSE = "Stock Adjustment - SC"
SRBNB = "Stock Received But Not Billed - SC"


def by_field(defaults):
	return {d.fieldname: (d.action, d.value) for d in defaults}


def test_defaults_keep_what_the_company_has_set_a_single_candidate_and_ask_otherwise():
	plan = by_field(
		plan_defaults(
			current={"default_inventory_account": "Stock In Hand - SC", "cost_center": "Main - SC"},
			chosen={"stock_adjustment_account": "Stock Adjustment - SC"},
			candidates={
				"stock_received_but_not_billed": [SRBNB],
				"expenses_included_in_valuation": ["EIV A - SC", "EIV B - SC"],
			},
		)
	)
	assert plan == {
		"default_inventory_account": (KEEP, "Stock In Hand - SC"),
		"stock_received_but_not_billed": (SET, SRBNB),
		"stock_adjustment_account": (SET, "Stock Adjustment - SC"),
		"expenses_included_in_valuation": (CHOOSE, None),
		"cost_center": (KEEP, "Main - SC"),
	}


def test_an_unneeded_default_inventory_account_is_kept_even_empty_unless_chosen():
	options = {"default_inventory_account": ["Stock A - SC", "Stock B - SC"]}
	kept = by_field(plan_defaults({}, {}, options, unneeded=("default_inventory_account",)))
	assert kept["default_inventory_account"] == (KEEP, None)
	asked = by_field(plan_defaults({}, {}, options))
	assert asked["default_inventory_account"] == (CHOOSE, None)
	chosen = by_field(plan_defaults({}, {"default_inventory_account": "Stock B - SC"}, options, unneeded=("default_inventory_account",)))
	assert chosen["default_inventory_account"] == (SET, "Stock B - SC")


def test_the_default_inventory_account_is_needed_only_by_stock_nothing_else_accounts_for():
	def without_default(item, warehouse):
		if warehouse not in WAREHOUSE_ACCOUNT:
			raise Unresolved(warehouse)
		return WAREHOUSE_ACCOUNT[warehouse], "Warehouse"

	held = [StockPosition("RM-1", "Stores - SC", 1, 10.0), StockPosition("RM-1", "Bin A - SC", 1, 10.0)]
	assert not default_inventory_account_needed(held, without_default)
	assert default_inventory_account_needed([*held, StockPosition("RM-1", "Unlinked - SC", 1, 10.0)], without_default)


def test_a_choice_on_the_migration_replaces_the_companys_default():
	plan = by_field(plan_defaults({"stock_adjustment_account": "Old - SC"}, {"stock_adjustment_account": "New - SC"}, {}))
	assert plan["stock_adjustment_account"] == (SET, "New - SC")


WAREHOUSE_ACCOUNT = {"Stores - SC": "Stores - SC", "Bin A - SC": "Stores - SC", "Finished - SC": "Finished - SC"}


def resolve(item, warehouse):
	if item == "RM-RULED":
		return "Raw Material Stock - SC", "Rule"
	if warehouse not in WAREHOUSE_ACCOUNT:
		raise Unresolved(warehouse)
	return WAREHOUSE_ACCOUNT[warehouse], "Warehouse"


def test_stock_is_summed_per_resolved_account_and_synced_with_its_gl_balance():
	positions = [
		StockPosition("RM", "Stores - SC", 7, 1400),
		StockPosition("RM", "Bin A - SC", 2, 450),
		StockPosition("RM-RULED", "Stores - SC", 1, 99.5),
		StockPosition("FG", "Finished - SC", 3, 300),
	]
	warehouses, accounts, blockers = plan_stock(
		positions, resolve, {"Stores - SC": 500, "Stock In Hand - SC": 120}
	)
	assert blockers == ()
	assert [(w.warehouse, w.account, w.items, w.value) for w in warehouses] == [
		("Bin A - SC", "Stores - SC", 1, 450),
		("Finished - SC", "Finished - SC", 1, 300),
		("Stores - SC", "Raw Material Stock - SC", 1, 99.5),
		("Stores - SC", "Stores - SC", 1, 1400),
	]
	# An account with a balance and no stock (Stock In Hand) is brought to zero.
	assert {a.account: (a.stock_value, a.gl_balance, a.difference) for a in accounts} == {
		"Finished - SC": (300, 0, 300),
		"Raw Material Stock - SC": (99.5, 0, 99.5),
		"Stock In Hand - SC": (0, 120, -120),
		"Stores - SC": (1850, 500, 1350),
	}


def test_warehouses_without_an_account_block_and_are_named():
	_w, _a, blockers = plan_stock(
		[StockPosition("RM", "Loose - SC", 1, 10), StockPosition("FG", "Loose - SC", 1, 5)], resolve, {}
	)
	assert len(blockers) == 1
	assert "Loose - SC" in blockers[0] and "2 item(s)" in blockers[0] and "FG, RM" in blockers[0]


def row(qty=10, amount=2000.0, billed=0.0, returned=0.0, receipt="PR-1"):
	return ReceiptRow(receipt, "Supplier", "2026-01-05", qty, amount, billed, returned)


def test_receipts_open_by_quantity_at_their_own_rate():
	openings = plan_receipts(
		[
			row(receipt="PR-1"),  # not billed
			row(receipt="PR-2", billed=6),  # billed 6 of 10
			row(receipt="PR-3", billed=10),  # fully billed: not listed
			row(receipt="PR-4", billed=4, returned=3),
			row(receipt="PR-4", qty=5, amount=750, billed=0),  # a second row of the same receipt
		]
	)
	assert [(o.receipt, o.received_value, o.billed_value, o.returned_value, o.open_value) for o in openings] == [
		("PR-1", 2000, 0, 0, 2000),
		("PR-2", 2000, 1200, 0, 800),
		("PR-4", 2750, 800, 600, 1350),
	]


def test_over_billing_opens_nothing():
	assert plan_receipts([row(billed=12)]) == ()


def test_blockers_for_a_future_cutover_and_stock_after_it():
	assert cutover_blockers("2026-01-31", "2026-02-01", 0) == ()
	future, after = cutover_blockers("2026-03-01", "2026-02-01", 4)
	assert "future" in future and "4 stock ledger entries" in after


def test_a_plan_without_an_expense_account_or_a_default_is_blocked():
	defaults = plan_defaults({}, {}, {})
	plan = build_plan(defaults, ((), (), ()), (), 0.0, None)
	assert len(plan.blockers) == 6  # five defaults to choose, and the expense account


amounts = st.decimals(min_value=-10**6, max_value=10**6, places=2).map(float)


def apply(lines, balances):
	after = defaultdict(float, balances)
	for line in lines:
		after[line.account] += line.debit - line.credit
	return after


def is_balanced(lines):
	return round(sum(line.debit for line in lines), 2) == round(sum(line.credit for line in lines), 2)


@given(st.dictionaries(st.sampled_from(["A", "B", "C", "D"]), st.tuples(amounts, amounts), max_size=4))
def test_the_sync_journal_balances_and_brings_every_account_to_its_stock_value(figures):
	accounts = [AccountSync(a, s, g, round(s - g, 2)) for a, (s, g) in figures.items()]
	lines = sync_lines(accounts, EXPENSE)
	assert is_balanced(lines)
	assert all(line.debit >= 0 and line.credit >= 0 and bool(line.debit) != bool(line.credit) for line in lines)
	after = apply(lines, {a.account: a.gl_balance for a in accounts})
	for a in accounts:
		assert round(after[a.account], 2) == a.stock_value
	assert not any(line.account == a.account for a in accounts if not a.difference for line in lines)


quantities = st.integers(min_value=0, max_value=50).map(float)


@given(
	st.lists(
		st.tuples(st.integers(1, 50).map(float), st.decimals(0, 1000, places=2).map(float), quantities, quantities),
		max_size=12,
	),
	amounts,
)
def test_the_srbnb_journal_balances_and_credits_exactly_what_is_open(rows, balance_before):
	receipts = [row(qty, round(qty * rate, 2), billed, returned, receipt=f"PR-{i % 4}") for i, (qty, rate, billed, returned) in enumerate(rows)]
	openings = plan_receipts(receipts)
	assert all(o.open_value > 0 for o in openings)
	lines = srbnb_lines(openings, SRBNB, balance_before, EXPENSE)
	assert is_balanced(lines)
	after = apply(lines, {SRBNB: balance_before})
	assert round(after[SRBNB], 2) == -round(sum(o.open_value for o in openings), 2)


@given(st.integers(1, 50).map(float), st.decimals(0, 1000, places=2).map(float), quantities, quantities)
def test_a_row_opens_its_open_quantity_at_its_own_rate_and_its_whole_amount_when_untouched(qty, rate, billed, returned):
	amount = round(qty * rate, 3)  # a net amount with more places than the currency keeps
	openings = plan_receipts([row(qty, amount, billed, returned)])
	open_qty = max(qty - billed - returned, 0)
	expected = round(amount if open_qty == qty else amount / qty * open_qty, 2)
	assert [o.open_value for o in openings] == ([expected] if expected else [])
