"""What a company's ledgers hold, in one aggregate query each: its stock on hand per (item,
warehouse) from the stock ledger, and the GL balance of its stock accounts. The migration plans
from them; the reclassification moves and checks them."""

import frappe


def currency_precision() -> int:
	"""The decimals the site's GL rounds money to (System Settings), as ERPNext reads them."""
	from erpnext.accounts.utils import get_currency_precision

	return get_currency_precision() or 2


def stock_on_hand(company: str, as_of=None, items=None) -> list[tuple[str, str, float, float]]:
	"""(item, warehouse, quantity, value) of `company` with quantity or value, as of the end of
	`as_of` (default: everything posted), optionally only of `items`."""
	conditions, values = ["company = %(company)s", "is_cancelled = 0"], {"company": company}
	if as_of:
		conditions.append("posting_date <= %(as_of)s")
		values["as_of"] = as_of
	if items is not None:
		if not items:
			return []
		conditions.append("item_code in %(items)s")
		values["items"] = tuple(set(items))
	rows = frappe.db.sql(
		f"""
		select item_code, warehouse, sum(actual_qty), sum(stock_value_difference)
		from `tabStock Ledger Entry`
		where {" and ".join(conditions)}
		group by item_code, warehouse
		having sum(actual_qty) != 0 or sum(stock_value_difference) != 0
		""",
		values,
	)
	return [(item, warehouse, float(qty), float(value)) for item, warehouse, qty, value in rows]


def stock_account_balances(company: str, as_of, accounts=()) -> dict[str, float]:
	"""GL balance as of the end of `as_of` of every Stock ledger of `company` and of `accounts`."""
	rows = frappe.db.sql(
		"""
		select gle.account, sum(gle.debit) - sum(gle.credit)
		from `tabGL Entry` gle
		join `tabAccount` acc on acc.name = gle.account
		where gle.company = %(company)s and gle.is_cancelled = 0 and gle.posting_date <= %(as_of)s
			and (acc.account_type = 'Stock' or gle.account in %(accounts)s)
		group by gle.account
		""",
		{"company": company, "as_of": as_of, "accounts": tuple(accounts) or ("",)},
	)
	return {account: float(balance) for account, balance in rows}
