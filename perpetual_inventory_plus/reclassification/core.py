"""Pure rules of reclassification (no Frappe import): which stock on hand a change of the mapping
moves from one inventory account to another, the journal that moves it, and the balance check of
each inventory account against the stock value of the pairs that resolve to it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from perpetual_inventory_plus.accounts.core import CompanyFacts, resolve


@dataclass(frozen=True)
class Holding:
	"""The stock of an item in a warehouse: quantity and value, as the stock ledger says."""

	item: str
	warehouse: str
	qty: float
	value: float


@dataclass(frozen=True)
class Move:
	"""A holding whose account changes: its value leaves `from_account` for `to_account`."""

	item: str
	warehouse: str
	qty: float
	value: float
	from_account: str
	to_account: str


def moves(before: CompanyFacts, after: CompanyFacts, holdings: Iterable[Holding], precision: int = 2) -> list[Move]:
	"""Every holding with value whose account differs between the two mappings, in a fixed order.

	A holding that `after` cannot resolve raises the resolver's error: a change must not leave
	stock without an account."""
	found = []
	for h in sorted(holdings, key=lambda h: (h.item, h.warehouse)):
		if round(h.value, precision) == 0:
			continue
		old, new = resolve(before, h.item, h.warehouse).account, resolve(after, h.item, h.warehouse).account
		if old != new:
			found.append(Move(h.item, h.warehouse, h.qty, round(h.value, precision), old, new))
	return found


def transfers(found: Iterable[Move], precision: int = 2) -> dict[tuple[str, str], float]:
	"""(from account, to account) -> the value moved between them."""
	total: dict[tuple[str, str], float] = defaultdict(float)
	for m in found:
		total[m.from_account, m.to_account] += m.value
	return {pair: round(value, precision) for pair, value in sorted(total.items()) if round(value, precision)}


def journal(found: Iterable[Move], precision: int = 2) -> list[tuple[str, float, float, str]]:
	"""The reclassification's GL: (account, debit, credit, against) per account pair; the new
	account is debited with the value moved, the old one credited (negative stock the other way)."""
	lines = []
	for (old, new), value in transfers(found, precision).items():
		debit, credit = (value, 0.0) if value > 0 else (0.0, -value)
		lines.append((new, debit, credit, old))
		lines.append((old, credit, debit, new))
	return lines


@dataclass(frozen=True)
class AccountBalance:
	"""An inventory account: its GL balance and the stock value of the pairs resolving to it."""

	account: str
	gl_balance: float
	stock_value: float

	@property
	def difference(self) -> float:
		return self.gl_balance - self.stock_value


def accounts_of(facts: CompanyFacts, holdings: Iterable[Holding]) -> dict[tuple[str, str], str]:
	"""The inventory account each holding's (item, warehouse) resolves to."""
	return {(h.item, h.warehouse): resolve(facts, h.item, h.warehouse).account for h in holdings}


def account_balances(
	holdings: Iterable[Holding],
	account_of: Mapping[tuple[str, str], str],
	gl_balance: Mapping[str, float],
	precision: int = 2,
) -> list[AccountBalance]:
	"""Per inventory account (each account a holding resolves to, and each given GL balance), the
	GL balance beside the stock value of its holdings."""
	stock: dict[str, float] = defaultdict(float)
	for h in holdings:
		stock[account_of[h.item, h.warehouse]] += h.value
	return [
		AccountBalance(a, round(gl_balance.get(a, 0.0), precision), round(stock.get(a, 0.0), precision))
		for a in sorted(set(stock) | set(gl_balance))
	]
