"""Changes of where stock is accounted, each as the mapping after it, and the guard that refuses a
change made without its reclassification (doc_events in hooks.py).

A change is a company, a description for messages and a function from the company's resolution
facts before the change to the facts after it; `planned_moves` resolves the stock on hand under
both. The guard runs in `validate` (and `on_trash` for rules), before anything is written, so a
refused change leaves rules, accounts and GL as they were."""

from dataclasses import dataclass, replace
from typing import Callable

import erpnext
import frappe
from frappe import _
from frappe.utils import fmt_money

from perpetual_inventory_plus.accounts.core import CompanyFacts, ResolutionError
from perpetual_inventory_plus.accounts.facts import item_group_parents, load_company_facts, rule_from_row
from perpetual_inventory_plus.accounts.ledgers import currency_precision, stock_on_hand
from perpetual_inventory_plus.accounts.warehouse import account_to_be_created
from perpetual_inventory_plus.reclassification.core import Holding, Move, moves, transfers
from perpetual_inventory_plus.settings import resolves_inventory_accounts

# Set while an Inventory Reclassification carries its change out: the guard lets it through.
CARRIED_OUT_BY = "inventory_reclassification"


@dataclass(frozen=True)
class Change:
	company: str
	what: str  # for messages: "Inventory Account Rule IAR-00001"
	after: Callable[[CompanyFacts], CompanyFacts]
	items: frozenset | None = None  # when only these items' stock can move


def planned_moves(change: Change) -> list[Move]:
	"""The stock on hand whose account the change moves, per (item, warehouse)."""
	held = [Holding(*row) for row in stock_on_hand(change.company, items=change.items)]
	if not held:
		return []
	before = load_company_facts(change.company, {h.item for h in held}, item_groups=True)
	try:
		return moves(before, change.after(before), held, currency_precision())
	except ResolutionError as e:
		frappe.throw(_("{0}: {1}").format(change.what, e), title=_("Stock Would Have No Inventory Account"))


def refuse_stranding(change: Change) -> None:
	if frappe.flags.get(CARRIED_OUT_BY):
		return
	found = planned_moves(change)
	if not found:
		return
	currency = frappe.get_cached_value("Company", change.company, "default_currency")
	lines = "<br>".join(
		_("{0} now held in {1} would belong to {2}").format(
			fmt_money(value, currency=currency), frappe.bold(old), frappe.bold(new)
		)
		for (old, new), value in transfers(found).items()
	)
	frappe.throw(
		_(
			"{0}: the change would leave stock on hand of company {1} in the wrong inventory account:<br>{2}<br>"
			"Make the change with an Inventory Reclassification, which moves that value in the same transaction."
		).format(change.what, change.company, lines),
		title=_("Stock Value Would Be Stranded"),
	)


def _watched(company: str) -> bool:
	"""The app resolves this company's inventory accounts, so its mapping must stay in step."""
	return resolves_inventory_accounts(company) and erpnext.is_perpetual_inventory_enabled(company)


def rule_change(doc, removed: bool = False) -> Change:
	"""An Inventory Account Rule added, edited, disabled or deleted (`removed`)."""
	rule = None if removed or doc.disabled else rule_from_row(doc)

	def after(facts):
		rules = [r for r in facts.rules if r.name != doc.name] + ([rule] if rule else [])
		return replace(facts, rules=tuple(sorted(rules, key=lambda r: r.name)))

	return Change(doc.company, _("Inventory Account Rule {0}").format(doc.name), after)


def warehouse_change(doc) -> Change:
	"""A warehouse's account or parent warehouse changed, or Create Account Under is to give it one."""
	account = doc.account or (account_to_be_created(doc) if doc.get("create_account_under") else None)

	def after(facts):
		return replace(
			facts,
			warehouse_account={**facts.warehouse_account, doc.name: account},
			warehouse_parent={**facts.warehouse_parent, doc.name: doc.parent_warehouse or None},
		)

	return Change(doc.company, _("Warehouse {0}").format(doc.name), after)


def default_account_change(company: str, account: str | None) -> Change:
	"""The company's Default Inventory Account changed."""
	return Change(
		company,
		_("Company {0}, Default Inventory Account").format(company),
		lambda facts: replace(facts, default_inventory_account=account or None),
	)


def item_group_change(company: str, item: str, group: str) -> Change:
	"""An item moved to another item group."""

	def after(facts):
		return replace(
			facts,
			item_group_of={**facts.item_group_of, item: group},
			item_group_parent={**facts.item_group_parent, **item_group_parents([group])},
		)

	return Change(company, _("Item {0}, Item Group").format(item), after, items=frozenset([item]))


def switch_change(company: str, on: bool) -> Change:
	"""The company switched on or off for the app's rules in Perpetual Inventory Settings."""

	def after(facts):
		rules = load_company_facts(company, with_rules=True).rules if on else ()
		return replace(facts, rules=rules)

	return Change(company, _("Perpetual Inventory Settings, company {0}").format(company), after)


# doc_events -------------------------------------------------------------------------------


def guard_rule(doc, method=None):
	fields = ("account", "item", "item_group", "warehouse", "disabled", "company")
	if method == "on_trash":
		if not doc.disabled and _watched(doc.company):
			refuse_stranding(rule_change(doc, removed=True))
	elif _watched(doc.company) and (doc.is_new() or any(doc.has_value_changed(f) for f in fields)):
		refuse_stranding(rule_change(doc))


def guard_warehouse(doc, method=None):
	"""Runs before accounts/warehouse.py, so that Create Account Under makes no account for a
	change that is refused."""
	creates = doc.get("create_account_under") and not doc.account
	changed = creates or doc.has_value_changed("account") or doc.has_value_changed("parent_warehouse")
	if changed and not doc.is_new() and _watched(doc.company):
		refuse_stranding(warehouse_change(doc))


def guard_company(doc, method=None):
	if not doc.is_new() and doc.has_value_changed("default_inventory_account") and _watched(doc.name):
		refuse_stranding(default_account_change(doc.name, doc.default_inventory_account))


def guard_item(doc, method=None):
	if doc.is_new() or not doc.has_value_changed("item_group"):
		return
	companies = frappe.get_all(
		"Stock Ledger Entry", filters={"item_code": doc.name, "is_cancelled": 0}, distinct=True, pluck="company"
	)
	for company in companies:
		if _watched(company):
			refuse_stranding(item_group_change(company, doc.name, doc.item_group))


def guard_settings(doc, method=None):
	before = doc.get_doc_before_save()
	was = {row.company for row in (before.companies if before else []) if row.resolve_inventory_accounts}
	now = {row.company for row in doc.companies if row.resolve_inventory_accounts}
	for company in sorted(was ^ now):
		if erpnext.is_perpetual_inventory_enabled(company):
			refuse_stranding(switch_change(company, on=company in now))
