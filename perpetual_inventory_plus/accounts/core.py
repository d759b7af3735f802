"""Which inventory account a stock row posts to, and why.

Pure: no Frappe import. The site layer (`perpetual_inventory_plus.accounts.facts`) loads the
facts of one company into `CompanyFacts`; everything here is plain data in, plain data out.

Order of resolution (seed 002, extended by rules):
1. the most specific enabled Inventory Account Rule matching the row;
2. on version-16, where the company has item-wise inventory accounts switched on, ERPNext's own
   item-wise account: the item's, else its item group's, else its brand's Default Inventory Account;
3. the warehouse's own account;
4. the nearest parent warehouse's account;
5. the company's Default Inventory Account;
otherwise `UnresolvedAccount`.

Among the rules matching a row the most specific wins: the item dimension first (a rule for the
item beats one for its item group, a deeper item group beats a shallower one, any of them beats a
rule naming no item), then the warehouse dimension (a deeper warehouse beats a shallower one,
which beats no warehouse). Only rules naming the same item (or item group) and the same
warehouse can tie; `find_conflicts` finds them so that they are refused when saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

# How the account was found; the trace's steps use the same words.
RULE = "Rule"
ITEM_DEFAULT = "Item Default"
ITEM_GROUP_DEFAULT = "Item Group Default"
BRAND_DEFAULT = "Brand Default"
WAREHOUSE = "Warehouse"
PARENT_WAREHOUSE = "Parent Warehouse"
COMPANY_DEFAULT = "Company Default"


@dataclass(frozen=True)
class Rule:
	name: str
	account: str
	item: str | None = None
	item_group: str | None = None
	warehouse: str | None = None


@dataclass(frozen=True)
class ItemAccount:
	"""An item's own inventory account on version-16 (ITEM_DEFAULT, ITEM_GROUP_DEFAULT or
	BRAND_DEFAULT, from the item, item group or brand named by `subject`)."""

	step: str
	subject: str
	account: str


@dataclass(frozen=True)
class CompanyFacts:
	"""What resolution needs to know about one company.

	`item_group_of` only needs the items being resolved; the trees may hold the whole site.
	"""

	company: str
	default_inventory_account: str | None = None
	warehouse_parent: Mapping[str, str | None] = field(default_factory=dict)
	warehouse_account: Mapping[str, str | None] = field(default_factory=dict)
	item_group_parent: Mapping[str, str | None] = field(default_factory=dict)
	item_group_of: Mapping[str, str | None] = field(default_factory=dict)
	rules: Sequence[Rule] = ()
	# items with an item-wise inventory account (version-16, company switch on); others absent
	item_account: Mapping[str, ItemAccount] = field(default_factory=dict)


@dataclass(frozen=True)
class TraceStep:
	step: str  # RULE, an ItemAccount's step, WAREHOUSE, PARENT_WAREHOUSE or COMPANY_DEFAULT
	subject: str  # the rule, warehouse or company looked at
	account: str | None  # what it offers, None when it offers nothing
	chosen: bool = False


@dataclass(frozen=True)
class Resolution:
	item: str
	warehouse: str
	account: str
	source: str  # the step that gave the account
	subject: str  # the rule, warehouse or company that gave it
	trace: tuple[TraceStep, ...]


class ResolutionError(Exception):
	pass


class UnresolvedAccount(ResolutionError):
	def __init__(self, item: str, warehouse: str, company: str, trace: tuple[TraceStep, ...]):
		self.item, self.warehouse, self.company, self.trace = item, warehouse, company, trace
		super().__init__(
			f"No inventory account for item {item} in warehouse {warehouse} of company {company}: "
			"no rule matches, neither the warehouse nor any parent warehouse has an account, "
			"and the company has no Default Inventory Account"
		)


class AmbiguousRules(ResolutionError):
	"""Several rules match a row and none is more specific than the others.

	`find_conflicts` refuses such rule sets when saved; this can still happen when a tree was
	reorganised afterwards, and then nothing is posted rather than guessed.
	"""

	def __init__(self, item: str, warehouse: str, rules: Sequence[Rule]):
		self.item, self.warehouse, self.rules = item, warehouse, tuple(rules)
		names = ", ".join(sorted(r.name for r in rules))
		super().__init__(
			f"Inventory Account Rules {names} all match item {item} in warehouse {warehouse} "
			"and none is more specific than the others"
		)


def ancestors(parent: Mapping[str, str | None], node: str | None) -> tuple[str, ...]:
	"""`node` and its ancestors, nearest first. A cycle in bad data ends the walk."""
	chain: list[str] = []
	while node and node not in chain:
		chain.append(node)
		node = parent.get(node)
	return tuple(chain)


def _depth(parent: Mapping[str, str | None], node: str) -> int:
	return len(ancestors(parent, node)) - 1


def shape(rule: Rule) -> tuple[str | None, str | None, str | None]:
	"""What a rule matches; two rules of one shape would tie on every row they match."""
	return (rule.item, None if rule.item else rule.item_group, rule.warehouse)


def rule_matches(facts: CompanyFacts, rule: Rule, item: str, warehouse: str) -> bool:
	if rule.item and rule.item != item:
		return False
	if (
		not rule.item
		and rule.item_group
		and rule.item_group not in ancestors(facts.item_group_parent, facts.item_group_of.get(item))
	):
		return False
	return not rule.warehouse or rule.warehouse in ancestors(facts.warehouse_parent, warehouse)


def specificity(facts: CompanyFacts, rule: Rule) -> tuple[int, int, int]:
	"""Higher is more specific; compared only between rules matching the same row, whose named
	item groups (and warehouses) then lie on one path of their tree. An unnamed dimension ranks
	below any named node."""
	group_depth = _depth(facts.item_group_parent, rule.item_group) if rule.item_group and not rule.item else -1
	warehouse_depth = _depth(facts.warehouse_parent, rule.warehouse) if rule.warehouse else -1
	return (1 if rule.item else 0), group_depth, warehouse_depth


def find_conflicts(rules: Iterable[Rule]) -> list[tuple[Rule, Rule]]:
	"""Pairs of rules that would tie for some row.

	Rules matching one row differ in specificity unless they name the same item (or item group)
	and the same warehouse: the nodes each dimension names lie on one path of its tree.
	"""
	seen: dict[tuple, Rule] = {}
	conflicts = []
	for rule in rules:
		key = shape(rule)
		if key in seen:
			conflicts.append((seen[key], rule))
		else:
			seen[key] = rule
	return conflicts


def most_specific_rule(facts: CompanyFacts, item: str, warehouse: str) -> tuple[Rule | None, list[Rule]]:
	"""The winning rule for a row (or None) and every rule that matched it."""
	matching = [r for r in facts.rules if rule_matches(facts, r, item, warehouse)]
	if not matching:
		return None, matching
	best = max(specificity(facts, r) for r in matching)
	winners = [r for r in matching if specificity(facts, r) == best]
	if len(winners) > 1:
		raise AmbiguousRules(item, warehouse, winners)
	return winners[0], matching


def _warehouse_steps(facts: CompanyFacts, warehouse: str) -> list[TraceStep]:
	"""The warehouse, its parents up to the first with an account, else the company default."""
	steps = []
	for depth, node in enumerate(ancestors(facts.warehouse_parent, warehouse)):
		steps.append(TraceStep(PARENT_WAREHOUSE if depth else WAREHOUSE, node, facts.warehouse_account.get(node)))
		if steps[-1].account:
			return steps
	return [*steps, TraceStep(COMPANY_DEFAULT, facts.company, facts.default_inventory_account)]


def resolve(facts: CompanyFacts, item: str, warehouse: str) -> Resolution:
	"""The account for a row, with a trace of every step looked at.

	The trace goes on past the winner down to the first step that offers an account, so that it
	shows what a rule overrides (the warehouse's account, say) as well as what it chose.
	"""
	winner, matching = most_specific_rule(facts, item, warehouse)
	steps = [TraceStep(RULE, r.name, r.account) for r in sorted(matching, key=lambda r: r.name)]
	own = facts.item_account.get(item)
	if own:
		steps.append(TraceStep(own.step, own.subject, own.account))
	else:
		steps += _warehouse_steps(facts, warehouse)

	if winner:
		chosen = next(i for i, s in enumerate(steps) if s.step == RULE and s.subject == winner.name)
	else:  # no rule matched: the item's own account, or the warehouse chain and the company default
		chosen = next((i for i, s in enumerate(steps) if s.account), None)
	if chosen is None:
		raise UnresolvedAccount(item, warehouse, facts.company, tuple(steps))
	step = steps[chosen]
	steps[chosen] = TraceStep(step.step, step.subject, step.account, chosen=True)
	return Resolution(item, warehouse, step.account, step.step, step.subject, tuple(steps))


def resolve_rows(facts: CompanyFacts, rows: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Resolution]:
	"""Resolve each distinct (item, warehouse) once."""
	resolved: dict[tuple[str, str], Resolution] = {}
	for key in rows:
		if key not in resolved:
			resolved[key] = resolve(facts, *key)
	return resolved


def rules_from_item_wise_accounts(
	item_accounts: Mapping[str, str],
	group_accounts: Mapping[str, str],
	brand_accounts: Mapping[str, str],
	items_of_brands: Mapping[str, tuple[str, str]],
	existing: Iterable[Rule] = (),
) -> tuple[list[Rule], list[tuple[Rule, Rule]]]:
	"""Inventory Account Rules that post as version-16's item-wise inventory accounts do, and the
	pairs (existing rule, wanted rule) that name the same scope with another account.

	ERPNext takes the item's account, else that of the item's own group (not its parents), else
	its brand's. A rule for the item, and one for the group, do the same for those items: a group
	rule also covers deeper groups, but their items had an account of their own there, or could
	not post at all. Brands have no rules: each item of a brand that has neither an account nor a
	group with one gets an item rule. `items_of_brands`: item -> (brand, item group), for the items
	of brands in `brand_accounts`. Rules already there with the same account are not made again.
	"""
	wanted = [Rule("", account, item=item) for item, account in sorted(item_accounts.items())]
	wanted += [Rule("", account, item_group=group) for group, account in sorted(group_accounts.items())]
	wanted += [
		Rule("", brand_accounts[brand], item=item)
		for item, (brand, group) in sorted(items_of_brands.items())
		if item not in item_accounts and group not in group_accounts and brand in brand_accounts
	]
	have = {shape(rule): rule for rule in existing}
	new, conflicts = [], []
	for rule in wanted:
		other = have.get(shape(rule))
		if other is None:
			new.append(rule)
		elif other.account != rule.account:
			conflicts.append((other, rule))
	return new, conflicts
