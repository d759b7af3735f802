"""Inventory Account Balance: each inventory account's GL balance beside the stock value of the
(item, warehouse) pairs that resolve to it, as of a date; and the daily check of that invariant
for every company the app resolves for. Two aggregate queries and the resolver, no query per pair."""

import erpnext
import frappe
from frappe import _
from frappe.utils import fmt_money, getdate, today

from perpetual_inventory_plus.accounts.facts import load_company_facts
from perpetual_inventory_plus.accounts.ledgers import currency_precision, stock_account_balances, stock_on_hand
from perpetual_inventory_plus.notifications import notify_role
from perpetual_inventory_plus.reclassification.core import Holding, account_balances, accounts_of
from perpetual_inventory_plus.reclassification.freeze import last_reclassification
from perpetual_inventory_plus.settings import SETTINGS

REPORT = "Inventory Account Balance"


@frappe.read_only()
def inventory_balances(company: str, as_of=None):
	"""(balances per account, holdings, account of each pair, item group of each item), as of the
	end of `as_of`; from the site's read replica where one is configured (the report and the daily
	check only read). Before the company's last reclassification the mapping was another one, and
	the comparison would not be that day's: refused."""
	as_of = getdate(as_of or today())
	last = last_reclassification(company)
	if last and as_of < last[1].date():
		frappe.throw(
			_(
				"Inventory Reclassification {0} changed where company {1}'s stock is accounted on {2}; choose that "
				"date or a later one"
			).format(last[0], company, last[1].date()),
			title=_("Mapping Changed Since"),
		)
	held = [Holding(*row) for row in stock_on_hand(company, as_of)]
	facts = load_company_facts(company, {h.item for h in held}, item_groups=True)
	account_of = accounts_of(facts, held)
	gl = stock_account_balances(company, as_of, set(account_of.values()))
	balances = account_balances(held, account_of, gl, currency_precision())
	return balances, held, account_of, facts.item_group_of


def differing(balances):
	precision = currency_precision()
	return [b for b in balances if abs(round(b.difference, precision)) >= 1 / 10**precision]


def check_enabled_companies() -> None:
	"""The daily job: for each company the app resolves for, an alert to the settings row's role
	when an inventory account's GL balance differs from the stock value of its pairs."""
	for row in frappe.get_single(SETTINGS).companies:
		if not (row.resolve_inventory_accounts and erpnext.is_perpetual_inventory_enabled(row.company)):
			continue
		try:
			found = differing(inventory_balances(row.company)[0])
		except Exception:
			frappe.log_error(title=_("Inventory Account Balance check failed for {0}").format(row.company))
			continue
		if found and row.inventory_balance_notify_role:
			currency = frappe.get_cached_value("Company", row.company, "default_currency")
			notify_role(
				row.inventory_balance_notify_role,
				row.company,
				_("Inventory accounts of {0} differ from their stock value: {1}").format(
					row.company, ", ".join(f"{b.account} {fmt_money(b.difference, currency=currency)}" for b in found)
				),
				_("See the Inventory Account Balance report of {0}.").format(row.company),
				link=f"/app/query-report/{REPORT}?company={row.company}",
			)
