"""Pure rules of stock GL posting with resolved accounts (no Frappe import): which warehouse a GL
line belongs to when a row's warehouses share ERPNext's account, and what the posting guard calls
a mismatch. The site layer (`resolved_accounts.py`) feeds them one voucher's rows and GL."""

from __future__ import annotations

from typing import Mapping


class AmbiguousLine(Exception):
	"""A GL line could belong to warehouses that resolve to different accounts."""


def line_account(candidates: Mapping[str, str], moved: Mapping[str, float], amount: float) -> str | None:
	"""The resolved account of a GL line of `amount` (debit positive) on a row.

	`candidates`: warehouse -> resolved account, for the row's warehouses whose ERPNext account is
	the line's; `moved`: warehouse -> stock value the row moved there (absent: none moved). None
	when no warehouse of the row has the line's account (the line is not a stock line of the row).
	Where the candidates resolve apart (a transfer between warehouses that inherit one account),
	the line's sign picks the warehouse whose stock moved the same way: ERPNext debits the
	incoming warehouse and credits the outgoing; else the one without stock movement.
	"""
	if len(set(candidates.values())) <= 1:
		return next(iter(candidates.values()), None)
	same_way = {w: a for w, a in candidates.items() if (moved.get(w) or 0) * amount > 0}
	without_stock = {w: a for w, a in candidates.items() if w not in moved}
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
