"""Inventory Account Balance: per inventory account, the GL balance, the stock value of the
(item, warehouse) pairs that resolve to it, and the difference, as of a date; each account broken
down by warehouse or item group (`perpetual_inventory_plus.reclassification.balance`)."""

from collections import defaultdict
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import flt, getdate, today

from perpetual_inventory_plus.reclassification.balance import inventory_balances

BREAKDOWN = {"Warehouse": "warehouse", "Item Group": "item_group"}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not filters.company:
		frappe.throw(_("Company is required"))
	frappe.has_permission("Company", "read", filters.company, throw=True)
	as_of = getdate(filters.as_of_date or today())
	balances, held, account_of, group_of = inventory_balances(filters.company, as_of)
	by = BREAKDOWN.get(filters.breakdown or "Warehouse", "warehouse")
	parts = defaultdict(lambda: defaultdict(float))  # account -> warehouse or item group -> stock value
	for h in held:
		parts[account_of[h.item, h.warehouse]][h.warehouse if by == "warehouse" else group_of.get(h.item)] += h.value
	data = []
	for b in balances:
		data.append(
			{
				"name": b.account,
				"parent": None,
				"indent": 0,
				"account": b.account,
				"gl_balance": b.gl_balance,
				"stock_value": b.stock_value,
				"difference": flt(b.difference, 2),
				"fix": fix_link(b, filters.company, as_of) if flt(b.difference, 2) else "",
			}
		)
		for part, value in sorted(parts[b.account].items(), key=lambda p: p[0] or ""):
			if flt(value, 2):
				data.append(
					{"name": f"{b.account}/{part}", "parent": b.account, "indent": 1, "account": b.account, by: part, "stock_value": flt(value, 2)}
				)
	return columns(by), data, None, None, summary(balances)


def fix_link(balance, company, as_of) -> str:
	"""Where to look: the account's General Ledger, to find the voucher that posted beside the
	stock ledger (a journal entry on an inventory account, or a change made before this app)."""
	query = urlencode({"company": company, "account": balance.account, "from_date": "2000-01-01", "to_date": str(as_of)})
	return f'<a href="/app/query-report/General Ledger?{query}">{_("General Ledger")}</a>'


def columns(by):
	label = _("Warehouse") if by == "warehouse" else _("Item Group")
	options = "Warehouse" if by == "warehouse" else "Item Group"
	return [
		{"fieldname": "account", "label": _("Inventory Account"), "fieldtype": "Link", "options": "Account", "width": 260},
		{"fieldname": by, "label": label, "fieldtype": "Link", "options": options, "width": 200},
		{"fieldname": "gl_balance", "label": _("GL Balance"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "stock_value", "label": _("Stock Value"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "difference", "label": _("Difference"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "fix", "label": _("Look At"), "fieldtype": "HTML", "width": 140},
	]


def summary(balances):
	gl = sum(b.gl_balance for b in balances)
	stock = sum(b.stock_value for b in balances)
	return [
		{"label": _("Stock Value (Stock Balance)"), "value": flt(stock, 2), "datatype": "Currency"},
		{"label": _("GL Balance of the Inventory Accounts"), "value": flt(gl, 2), "datatype": "Currency"},
		{
			"label": _("Difference"),
			"value": flt(gl - stock, 2),
			"datatype": "Currency",
			"indicator": "Green" if not flt(gl - stock, 2) else "Red",
		},
	]
