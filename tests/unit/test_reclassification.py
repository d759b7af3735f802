"""The reclassification's pure rules: the moves a change of the mapping makes, the journal that
posts them, and the invariant that journal keeps (hypothesis over generated mappings)."""

from collections import defaultdict
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from perpetual_inventory_plus.accounts.core import CompanyFacts, Rule, resolve
from perpetual_inventory_plus.reclassification.core import (
	Holding,
	Move,
	account_balances,
	accounts_of,
	journal,
	moves,
	transfers,
)

FACTS = CompanyFacts(
	company="Co",
	default_inventory_account="Stock In Hand",
	warehouse_parent={"All": None, "Stores": "All", "Bin": "Stores", "Yard": "All"},
	warehouse_account={"Stores": "Stores", "Yard": "Yard"},
	item_group_parent={"All Item Groups": None, "Raw Material": "All Item Groups", "Products": "All Item Groups"},
	item_group_of={"RM-1": "Raw Material", "FG-1": "Products"},
)
HELD = [Holding("RM-1", "Stores", 10, 1000.0), Holding("FG-1", "Stores", 5, 250.0)]


def test_the_issues_rule_moves_the_raw_material_only():
	after = replace(FACTS, rules=(Rule("IAR-1", "Stock RM", item_group="Raw Material"),))
	assert moves(FACTS, after, HELD) == [Move("RM-1", "Stores", 10, 1000.0, "Stores", "Stock RM")]
	assert journal(moves(FACTS, after, HELD)) == [("Stock RM", 1000.0, 0.0, "Stores"), ("Stores", 0.0, 1000.0, "Stock RM")]


def test_holdings_without_value_and_unchanged_accounts_move_nothing():
	after = replace(FACTS, warehouse_account={**FACTS.warehouse_account, "Yard": "Yard 2"})
	assert moves(FACTS, after, [*HELD, Holding("RM-1", "Yard", 0, 0.0)]) == []


def test_negative_stock_moves_the_other_way():
	after = replace(FACTS, warehouse_account={**FACTS.warehouse_account, "Stores": "Stores 2"})
	found = moves(FACTS, after, [Holding("RM-1", "Stores", -2, -200.0)])
	assert journal(found) == [("Stores 2", 0.0, 200.0, "Stores"), ("Stores", 200.0, 0.0, "Stores 2")]


def test_a_child_warehouse_follows_its_parents_new_account():
	after = replace(FACTS, warehouse_parent={**FACTS.warehouse_parent, "Bin": "Yard"})
	assert transfers(moves(FACTS, after, [Holding("FG-1", "Bin", 1, 50.0)])) == {("Stores", "Yard"): 50.0}


def test_balances_per_account():
	held = [*HELD, Holding("FG-1", "Bin", 1, 50.0)]
	balances = account_balances(held, accounts_of(FACTS, held), {"Stores": 1300.0, "Yard": 5.0})
	assert [(b.account, b.gl_balance, b.stock_value, b.difference) for b in balances] == [
		("Stores", 1300.0, 1300.0, 0.0),
		("Yard", 5.0, 0.0, 5.0),
	]


WAREHOUSES = ["Stores", "Bin", "Yard"]
ACCOUNTS = ["Stores", "Yard", "Stock A", "Stock B", None]
mappings = st.fixed_dictionaries({w: st.sampled_from(ACCOUNTS) for w in ("Stores", "Yard")})
holdings = st.lists(
	st.builds(
		Holding,
		st.sampled_from(["RM-1", "FG-1"]),
		st.sampled_from(WAREHOUSES),
		st.integers(-5, 20),
		st.integers(-50_000, 500_000).map(lambda c: c / 100),
	),
	max_size=12,
	unique_by=lambda h: (h.item, h.warehouse),
)


@given(holdings, mappings, mappings, st.sampled_from([None, "Raw Material", "Products"]))
def test_the_journal_takes_each_accounts_balance_to_the_stock_value_of_its_pairs_after_the_change(held, old, new, group):
	"""Balances in step under the old mapping, plus the journal, are in step under the new one."""
	before = replace(FACTS, warehouse_account=old)
	rules = (Rule("IAR-1", "Stock R", item_group=group),) if group else ()
	after = replace(FACTS, warehouse_account=new, rules=rules)
	gl = defaultdict(float)
	for h in held:
		gl[resolve(before, h.item, h.warehouse).account] += h.value
	for account, debit, credit, _against in journal(moves(before, after, held)):
		gl[account] += debit - credit
	expected = defaultdict(float)
	for h in held:
		expected[resolve(after, h.item, h.warehouse).account] += h.value
	for account in set(gl) | set(expected):
		assert round(gl[account] - expected[account], 2) == 0, account
