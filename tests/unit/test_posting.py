"""The pure posting rules: which warehouse a GL line belongs to, and the posting guard's verdict."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perpetual_inventory_plus.posting.core import AmbiguousLine, line_account, mismatches


def test_a_line_of_a_warehouse_alone_takes_its_account():
	assert line_account({"Stores": "Stock RM"}, {}, 100.0) == "Stock RM"
	assert line_account({}, {}, 100.0) is None


def test_a_transfer_between_warehouses_sharing_an_account_goes_by_the_lines_sign():
	candidates = {"Stores": "Stock RM", "Finished": "Stock FG"}
	moved = {"Stores": (-250.0,), "Finished": (250.0,)}
	assert line_account(candidates, moved, 250.0) == "Stock FG"  # debit: the incoming warehouse
	assert line_account(candidates, moved, -250.0) == "Stock RM"  # credit: the outgoing one


def test_a_warehouse_without_stock_movement_takes_a_line_no_moving_warehouse_explains():
	candidates = {"Stores": "Stock RM", "Rejected": "Stock Rejected"}
	assert line_account(candidates, {"Stores": (100.0,)}, -5.0) == "Stock Rejected"


def test_two_warehouses_moving_the_same_way_into_different_accounts_are_ambiguous():
	with pytest.raises(AmbiguousLine):
		line_account({"A": "Stock A", "B": "Stock B"}, {"A": (10.0,), "B": (20.0,)}, 30.0)


def test_a_bundles_packed_items_in_one_warehouse_each_take_the_line_of_their_own_value():
	candidates = {("Part", "Stores"): "Stock Parts", ("Cable", "Stores"): "Stock Cables"}
	moved = {("Part", "Stores"): (-60.0,), ("Cable", "Stores"): (-10.0, -10.0)}
	assert line_account(candidates, moved, -60.0) == "Stock Parts"
	assert line_account(candidates, moved, -10.0) == "Stock Cables"


def test_entries_of_equal_value_on_different_accounts_take_one_line_each():
	candidates = {("Part", "Stores"): "Stock Parts", ("Cable", "Stores"): "Stock Cables"}
	moved = {("Part", "Stores"): (-20.0,), ("Cable", "Stores"): (-20.0,)}
	given = [line_account(candidates, moved, -20.0, taken) for taken in range(2)]
	assert sorted(given) == ["Stock Cables", "Stock Parts"]


def test_the_guard_flags_a_unit_of_the_last_decimal_and_not_less():
	assert mismatches({"Stock": 100.0}, {"Stock": 100.004}, 2) == []
	assert mismatches({"Stock": 100.0}, {"Stock": 100.01}, 2) == [("Stock", 100.0, 100.01)]
	assert mismatches({"Stock": 100.0}, {}, 2) == [("Stock", 100.0, 0.0)]


def test_accounts_the_rows_do_not_resolve_to_are_not_the_guards():
	assert mismatches({"Stock": 50.0}, {"Stock": 50.0, "Cost of Goods Sold": -50.0}, 2) == []


cents = st.integers(min_value=-10**9, max_value=10**9).map(lambda c: c / 100)


@given(st.dictionaries(st.sampled_from(["A", "B", "C"]), cents, min_size=1))
def test_gl_equal_to_stock_value_passes_and_any_shift_of_a_cent_is_caught(expected):
	assert mismatches(expected, dict(expected), 2) == []
	account = sorted(expected)[0]
	shifted = {**expected, account: expected[account] + 0.01}
	assert [m[0] for m in mismatches(expected, shifted, 2)] == [account]
