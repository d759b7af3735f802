"""The resolver's rules, on seed 002's layout and on generated trees (hypothesis)."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from perpetual_inventory_plus.accounts.core import (
	COMPANY_DEFAULT,
	ITEM_GROUP_DEFAULT,
	ItemAccount,
	PARENT_WAREHOUSE,
	RULE,
	WAREHOUSE,
	AmbiguousRules,
	CompanyFacts,
	Rule,
	UnresolvedAccount,
	find_conflicts,
	rule_matches,
	specificity,
	resolve,
)

# Seed 002: Stores, Work In Progress, Finished Goods under the company's root warehouse, each with
# its own account under Stock Assets; "Stores Bin A" is a child of Stores without an account.
SEED = CompanyFacts(
	company="Seed Co",
	default_inventory_account="Stock In Hand - SC",
	warehouse_parent={
		"All Warehouses - SC": None,
		"Stores - SC": "All Warehouses - SC",
		"Stores Bin A - SC": "Stores - SC",
		"Work In Progress - SC": "All Warehouses - SC",
		"Finished Goods - SC": "All Warehouses - SC",
		"Loose - SC": "All Warehouses - SC",
	},
	warehouse_account={
		"Stores - SC": "Stores - SC",
		"Work In Progress - SC": "Work In Progress - SC",
		"Finished Goods - SC": "Finished Goods - SC",
	},
	item_group_parent={
		"All Item Groups": None,
		"Raw Material": "All Item Groups",
		"Metals": "Raw Material",
		"Products": "All Item Groups",
	},
	item_group_of={"RM0001": "Metals", "Desktop": "Products"},
)


def with_rules(facts, *rules, **changes):
	values = {**facts.__dict__, "rules": rules, **changes}
	return CompanyFacts(**values)


def test_warehouse_own_account():
	r = resolve(SEED, "RM0001", "Stores - SC")
	assert (r.account, r.source, r.subject) == ("Stores - SC", WAREHOUSE, "Stores - SC")


def test_child_warehouse_takes_nearest_parent_account():
	r = resolve(SEED, "RM0001", "Stores Bin A - SC")
	assert (r.account, r.source, r.subject) == ("Stores - SC", PARENT_WAREHOUSE, "Stores - SC")
	assert [(s.step, s.subject, s.account, s.chosen) for s in r.trace] == [
		(WAREHOUSE, "Stores Bin A - SC", None, False),
		(PARENT_WAREHOUSE, "Stores - SC", "Stores - SC", True),
	]


def test_no_account_up_the_tree_takes_company_default():
	r = resolve(SEED, "RM0001", "Loose - SC")
	assert (r.account, r.source, r.subject) == ("Stock In Hand - SC", COMPANY_DEFAULT, "Seed Co")
	assert [s.step for s in r.trace] == [WAREHOUSE, PARENT_WAREHOUSE, COMPANY_DEFAULT]


def test_nothing_anywhere_names_item_warehouse_and_company():
	facts = with_rules(SEED, default_inventory_account=None)
	with pytest.raises(UnresolvedAccount) as e:
		resolve(facts, "RM0001", "Loose - SC")
	assert "RM0001" in str(e.value) and "Loose - SC" in str(e.value) and "Seed Co" in str(e.value)


def test_group_rule_in_stores_subtree_beats_warehouse_account_and_item_rule_beats_it():
	group_rule = Rule("RULE-RM", "Raw Materials - SC", item_group="Raw Material", warehouse="Stores - SC")
	facts = with_rules(SEED, group_rule)
	r = resolve(facts, "RM0001", "Stores Bin A - SC")
	assert (r.account, r.source, r.subject) == ("Raw Materials - SC", RULE, "RULE-RM")
	# the trace also shows what the rule overrode
	assert [(s.step, s.subject, s.account, s.chosen) for s in r.trace] == [
		(RULE, "RULE-RM", "Raw Materials - SC", True),
		(WAREHOUSE, "Stores Bin A - SC", None, False),
		(PARENT_WAREHOUSE, "Stores - SC", "Stores - SC", False),
	]

	item_rule = Rule("RULE-ITEM", "RM0001 Stock - SC", item="RM0001")
	r = resolve(with_rules(SEED, group_rule, item_rule), "RM0001", "Stores Bin A - SC")
	assert (r.account, r.subject) == ("RM0001 Stock - SC", "RULE-ITEM")
	assert [(s.subject, s.chosen) for s in r.trace if s.step == RULE] == [
		("RULE-ITEM", True),
		("RULE-RM", False),
	]


def test_rule_outside_its_subtrees_does_not_match():
	rule = Rule("RULE-RM", "Raw Materials - SC", item_group="Raw Material", warehouse="Stores - SC")
	facts = with_rules(SEED, rule)
	assert resolve(facts, "Desktop", "Stores - SC").account == "Stores - SC"
	assert resolve(facts, "RM0001", "Finished Goods - SC").account == "Finished Goods - SC"


def test_item_dimension_decides_first_then_the_deeper_warehouse():
	by_warehouse = Rule("W", "Acc W", warehouse="Stores Bin A - SC")
	by_group = Rule("G", "Acc G", item_group="Raw Material")
	by_subgroup = Rule("S", "Acc S", item_group="Metals")
	by_subgroup_in_stores = Rule("SS", "Acc SS", item_group="Metals", warehouse="Stores - SC")
	facts = with_rules(SEED, by_warehouse, by_group)
	assert resolve(facts, "RM0001", "Stores Bin A - SC").subject == "G"
	assert resolve(facts, "Desktop", "Stores Bin A - SC").subject == "W"
	facts = with_rules(SEED, by_warehouse, by_group, by_subgroup, by_subgroup_in_stores)
	assert resolve(facts, "RM0001", "Stores Bin A - SC").subject == "SS"
	assert resolve(facts, "RM0001", "Finished Goods - SC").subject == "S"


def test_rules_of_one_shape_conflict_and_others_do_not():
	a = Rule("A", "Acc A", item_group="Metals", warehouse="Stores - SC")
	b = Rule("B", "Acc B", item_group="Metals", warehouse="Stores - SC")
	c = Rule("C", "Acc C", item_group="Metals")
	d = Rule("D", "Acc D", item="RM0001", item_group="Metals", warehouse="Stores - SC")
	e = Rule("E", "Acc E", item="RM0001", warehouse="Stores - SC")
	assert find_conflicts([a, b, c, d, e]) == [(a, b), (d, e)]
	with pytest.raises(AmbiguousRules) as err:
		resolve(with_rules(SEED, a, b), "RM0001", "Stores - SC")
	assert "A" in str(err.value) and "B" in str(err.value)


# --- properties on generated trees -------------------------------------------------------------

GROUPS = ["G0", "G1", "G2", "G3", "G4", "G5"]
WAREHOUSES = ["W0", "W1", "W2", "W3", "W4", "W5"]
ITEMS = ["I0", "I1", "I2", "I3"]


@st.composite
def trees(draw, names):
	"""A forest: each node's parent is an earlier node or nothing."""
	return {n: (draw(st.sampled_from([None, *names[:i]])) if i else None) for i, n in enumerate(names)}


@st.composite
def rules(draw, index):
	item_dim = draw(st.sampled_from(["none", "item", "group"]))
	return Rule(
		name=f"R{index}",
		account=f"Acc{index}",
		item=draw(st.sampled_from(ITEMS)) if item_dim == "item" else None,
		item_group=draw(st.sampled_from(GROUPS)) if item_dim == "group" else None,
		warehouse=draw(st.one_of(st.none(), st.sampled_from(WAREHOUSES))),
	)


@st.composite
def facts_with_rules(draw, max_rules=6):
	count = draw(st.integers(0, max_rules))
	return CompanyFacts(
		company="Gen Co",
		default_inventory_account=draw(st.one_of(st.none(), st.just("Default Acc"))),
		warehouse_parent=draw(trees(WAREHOUSES)),
		warehouse_account={w: draw(st.one_of(st.none(), st.just(f"{w} Acc"))) for w in WAREHOUSES},
		item_group_parent=draw(trees(GROUPS)),
		item_group_of={i: draw(st.sampled_from(GROUPS)) for i in ITEMS},
		rules=tuple(draw(rules(i)) for i in range(count)),
	)


def outcome(facts, item, warehouse):
	try:
		r = resolve(facts, item, warehouse)
		return ("ok", r.account, r.source, r.subject)
	except AmbiguousRules as e:
		return ("ambiguous", tuple(sorted(r.name for r in e.rules)))
	except UnresolvedAccount:
		return ("unresolved",)


rows = st.tuples(st.sampled_from(ITEMS), st.sampled_from(WAREHOUSES))


@settings(max_examples=300)
@given(facts_with_rules(), st.randoms(use_true_random=False), rows)
def test_result_never_depends_on_rule_order(facts, rnd, row):
	shuffled = list(facts.rules)
	rnd.shuffle(shuffled)
	assert outcome(facts, *row) == outcome(with_rules(facts, *shuffled), *row)


@settings(max_examples=500)
@given(facts_with_rules(), rows, st.data())
def test_less_specific_rule_never_changes_a_row_a_more_specific_rule_matched(facts, row, data):
	before = outcome(facts, *row)
	assume(before[0] == "ok" and before[2] == RULE)
	winner = next(r for r in facts.rules if r.name == before[3])
	new = data.draw(rules("NEW"))
	after = outcome(with_rules(facts, *facts.rules, new), *row)
	if not rule_matches(facts, new, *row) or specificity(facts, new) < specificity(facts, winner):
		assert after == before


@settings(max_examples=300)
@given(facts_with_rules(), rows)
def test_conflict_free_rules_resolve_every_row_to_one_rule(facts, row):
	assume(not find_conflicts(facts.rules))
	assert outcome(facts, *row)[0] != "ambiguous"


@settings(max_examples=200)
@given(facts_with_rules(max_rules=0), rows)
def test_without_rules_the_nearest_warehouse_account_then_the_default_wins(facts, row):
	item, warehouse = row
	chain = [warehouse]
	while facts.warehouse_parent.get(chain[-1]):
		chain.append(facts.warehouse_parent[chain[-1]])
	expected = next((facts.warehouse_account[w] for w in chain if facts.warehouse_account[w]), None)
	expected = expected or facts.default_inventory_account
	result = outcome(facts, item, warehouse)
	assert result == (("unresolved",) if expected is None else result[:1] + (expected,) + result[2:])
	if expected:
		assert resolve(facts, item, warehouse).trace[-1].chosen


# version-16's item-wise inventory accounts: the item's own account (from the item, its group or
# its brand, as ERPNext finds it) comes after the rules and before the warehouse chain.
ITEM_WISE = with_rules(SEED, item_account={"RM0001": ItemAccount(ITEM_GROUP_DEFAULT, "Metals", "Metals Stock - SC")})


def test_an_item_wise_account_beats_the_warehouse_and_shows_in_the_trace():
	r = resolve(ITEM_WISE, "RM0001", "Stores Bin A - SC")
	assert (r.account, r.source, r.subject) == ("Metals Stock - SC", ITEM_GROUP_DEFAULT, "Metals")
	assert [(s.step, s.chosen) for s in r.trace] == [(ITEM_GROUP_DEFAULT, True)]


def test_a_rule_beats_an_item_wise_account_which_the_trace_shows_overridden():
	facts = with_rules(ITEM_WISE, Rule("R-1", "RM Stock - SC", item_group="Raw Material"))
	r = resolve(facts, "RM0001", "Stores - SC")
	assert (r.account, r.source) == ("RM Stock - SC", RULE)
	assert [(s.step, s.account, s.chosen) for s in r.trace] == [
		(RULE, "RM Stock - SC", True),
		(ITEM_GROUP_DEFAULT, "Metals Stock - SC", False),
	]


def test_items_without_an_item_wise_account_fall_back_to_the_warehouse_chain():
	r = resolve(ITEM_WISE, "Desktop", "Stores Bin A - SC")
	assert (r.account, r.source) == ("Stores - SC", PARENT_WAREHOUSE)


def test_item_wise_accounts_become_rules_that_resolve_as_erpnext_did():
	from perpetual_inventory_plus.accounts.core import BRAND_DEFAULT, ITEM_DEFAULT, rules_from_item_wise_accounts

	# ERPNext's item-wise accounts: RM0001 its own, Products its group's, Gadget (group Loose
	# Parts, no default) its brand's.
	facts = with_rules(
		SEED,
		item_group_parent={**SEED.item_group_parent, "Loose Parts": "Products"},
		item_group_of={**SEED.item_group_of, "Gadget": "Loose Parts"},
	)
	item_wise = {
		"RM0001": ItemAccount(ITEM_DEFAULT, "RM0001", "RM Own - SC"),
		"Desktop": ItemAccount(ITEM_GROUP_DEFAULT, "Products", "Products Stock - SC"),
		"Gadget": ItemAccount(BRAND_DEFAULT, "Acme", "Acme Stock - SC"),
	}
	existing = [Rule("R-old", "RM Own - SC", item="RM0001")]
	rules, conflicts = rules_from_item_wise_accounts(
		{"RM0001": "RM Own - SC"},
		{"Products": "Products Stock - SC"},
		{"Acme": "Acme Stock - SC"},
		{"Gadget": ("Acme", "Loose Parts"), "Desktop": ("Acme", "Products")},
		existing,
	)
	assert conflicts == []
	named = [Rule(f"R-{i}", r.account, r.item, r.item_group, r.warehouse) for i, r in enumerate(rules)]
	converted = with_rules(facts, *existing, *named)
	for item, own in item_wise.items():
		assert resolve(converted, item, "Stores - SC").account == own.account
	# A rule already there with another account for the same scope is reported, not doubled.
	_rules, conflicts = rules_from_item_wise_accounts({"RM0001": "Other - SC"}, {}, {}, {}, existing)
	assert [(old.name, new.account) for old, new in conflicts] == [("R-old", "Other - SC")]
