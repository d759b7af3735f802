"""Pure rules of stock GL posting with resolved accounts (no Frappe import): which item and
warehouse a GL line stands for when several of a row's share ERPNext's account, and what the
posting guard calls a mismatch. The site layer (`resolved_accounts.py`) feeds them one voucher's
rows, stock ledger entries and GL."""

from __future__ import annotations

from math import isclose
from typing import Hashable, Mapping, Sequence


class AmbiguousLine(Exception):
	"""A GL line could stand for placements that resolve to different accounts."""


def line_account(
	candidates: Mapping[Hashable, str], moved: Mapping[Hashable, Sequence[float]], amount: float, taken: int = 0
) -> str | None:
	"""The resolved account of a GL line of `amount` (debit positive) that ERPNext posts for a row.

	`candidates`: placement (an item in a warehouse) -> resolved account, for the placements the
	row's line may stand for, those whose ERPNext account is the line's; `moved`: placement -> the
	stock value of each of its stock ledger entries, rounded as the line is (absent: none). None
	when no placement has the line's account (the line is not a stock line of the row).

	Where the candidates resolve apart (a bundle's packed items, a subcontracted good and its raw
	materials, a transfer between warehouses that share one account), ERPNext posts one line per
	stock ledger entry, so the entry whose value is the line's amount names it; `taken` counts the
	lines of this amount already given an account, so entries of equal value take one line each.
	Lines that are not one entry's value go by their sign: ERPNext debits the incoming warehouse
	and credits the outgoing; else to the placement without stock movement.
	"""
	if len(set(candidates.values())) <= 1:
		return next(iter(candidates.values()), None)
	exact = [p for p in sorted(candidates) for value in moved.get(p, ()) if isclose(value, amount, abs_tol=1e-9)]
	if exact:
		return candidates[exact[taken % len(exact)]]
	same_way = {p: a for p, a in candidates.items() if sum(moved.get(p, ())) * amount > 0}
	without_stock = {p: a for p, a in candidates.items() if p not in moved}
	for group in (same_way, without_stock):
		if len(set(group.values())) == 1:
			return next(iter(group.values()))
	raise AmbiguousLine(sorted(candidates))


def mismatches(
	expected: Mapping[str, float], posted: Mapping[str, float], precision: int
) -> list[tuple[str, float, float]]:
	"""(account, stock value moved, GL moved) for each inventory account whose GL movement differs
	from its rows' stock value by a unit of the last decimal or more; accounts in `posted` only
	are not inventory accounts of the voucher and are not compared."""
	tolerance = 0.5 / 10**precision
	return [
		(account, expected[account], posted.get(account, 0.0))
		for account in sorted(expected)
		if abs(round(expected[account] - posted.get(account, 0.0), precision)) > tolerance
	]
