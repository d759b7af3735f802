"""Makes ERPNext's own stock GL post each stock row to its resolved inventory account.

ERPNext v15 builds every stock GL line from `warehouse_account[warehouse]["account"]` and passes
it, with the row it belongs to, through `get_gl_dict(args, account_currency, item=row)` before it
merges lines. `ResolvedInventoryAccounts.get_gl_dict` swaps a line's warehouse account for the
account resolved for that row and warehouse, so the rest stays ERPNext's machinery: validations,
merging, rounding, reversal on cancel, and repost (`repost_gle_for_stock_vouchers` calls the same
`get_gl_entries`). Where no rule matches, the resolved account is ERPNext's own and nothing changes.

The mixin is combined with ERPNext's classes in `overrides.py` (`override_doctype_class`); on
version-16 the same mixin fits `extend_doctype_class`.
"""

from collections import defaultdict
from functools import cached_property

import erpnext
import frappe
from frappe import _
from frappe.utils import flt

from erpnext.stock import get_warehouse_account_map

from perpetual_inventory_plus.accounts.facts import load_company_facts, resolve_for_user
from perpetual_inventory_plus.posting.core import AmbiguousLine, line_account, mismatches
from perpetual_inventory_plus.settings import company_settings
from perpetual_inventory_plus.accounts.stock_rows import stock_row_warehouses


def _applies(doc) -> bool:
	"""The voucher moves stock and its company resolves inventory accounts with this app."""
	if doc.doctype in ("Purchase Invoice", "Sales Invoice") and not doc.get("update_stock"):
		return False
	row = company_settings(doc.company)
	return bool(row and row.resolve_inventory_accounts and erpnext.is_perpetual_inventory_enabled(doc.company))


class RowAccounts:
	"""For one voucher: each stock row's warehouses with ERPNext's account and the resolved one,
	and the stock value each (row, warehouse) moved."""

	def __init__(self, doc):
		self.doc = doc
		native = get_warehouse_account_map(doc.company)
		placements = list(stock_row_warehouses(doc))
		facts = load_company_facts(doc.company, {row.item_code for row, _f, _w in placements})
		self.rows = {}
		self.warehouses = defaultdict(dict)  # row name -> warehouse -> (native, resolved)
		for row, _field, warehouse in placements:
			context = _("{0} {1}, row {2}").format(_(doc.doctype), doc.name, row.idx)
			resolved = resolve_for_user(facts, row.item_code, warehouse, context).account
			self.rows[row.name] = row
			self.warehouses[row.name][warehouse] = ((native.get(warehouse) or {}).get("account"), resolved)

	@cached_property
	def stock_value(self):
		"""(row name, warehouse) -> stock value moved. Read on first use: before submit there is none."""
		return {
			(d.voucher_detail_no, d.warehouse): d.stock_value
			for d in frappe.db.sql(
				"""
				select voucher_detail_no, warehouse, sum(stock_value_difference) as stock_value
				from `tabStock Ledger Entry`
				where voucher_type = %s and voucher_no = %s and is_cancelled = 0
				group by voucher_detail_no, warehouse
				""",
				(self.doc.doctype, self.doc.name),
				as_dict=True,
			)
		}

	def account_for(self, row_name, native_account, amount):
		"""The resolved account for a GL line on `native_account` of a row, or None to keep it
		(`core.line_account`)."""
		candidates = {
			warehouse: resolved
			for warehouse, (native, resolved) in self.warehouses.get(row_name, {}).items()
			if native == native_account
		}
		if len(set(candidates.values())) <= 1:  # the usual case needs no stock values
			return next(iter(candidates.values()), None)
		moved = {w: flt(v) for (row, w), v in self.stock_value.items() if row == row_name and w in candidates}
		try:
			return line_account(candidates, moved, amount)
		except AmbiguousLine:
			frappe.throw(
				_(
					"{0} {1}, row {2}: cannot tell which of warehouses {3} a GL line on account {4} belongs to"
				).format(_(self.doc.doctype), self.doc.name, self.rows[row_name].idx, ", ".join(candidates), native_account)
			)

	def expected_movement(self, precision):
		"""Per resolved inventory account: the stock value its rows moved, rounded as ERPNext rounds."""
		expected = defaultdict(float)
		for (row_name, warehouse), value in self.stock_value.items():
			accounts = self.warehouses.get(row_name, {}).get(warehouse)
			if accounts and accounts[1]:
				expected[accounts[1]] += flt(value, precision)
		return expected


class ResolvedInventoryAccounts:
	"""Mixin for ERPNext's stock vouchers; see the module docstring."""

	def get_gl_entries(self, *args, **kwargs):
		if self.flags.get("inventory_row_accounts") is not None or not _applies(self):
			return super().get_gl_entries(*args, **kwargs)
		row_accounts = self.flags.inventory_row_accounts = RowAccounts(self)
		try:
			gl_entries = super().get_gl_entries(*args, **kwargs)
		finally:
			self.flags.inventory_row_accounts = None
		check_posting(self, gl_entries, row_accounts)
		return gl_entries

	def get_gl_dict(self, args, account_currency=None, item=None):
		row_accounts = self.flags.get("inventory_row_accounts")
		if row_accounts and item is not None and item.get("name") in row_accounts.warehouses:
			args = dict(args)
			amount = flt(args.get("debit")) - flt(args.get("credit"))
			account = row_accounts.account_for(item.name, args.get("account"), amount)
			if account:
				args["account"] = account
			against = row_accounts.account_for(item.name, args.get("against"), -amount)
			if against:
				args["against"] = against
		return super().get_gl_dict(args, account_currency, item)


def check_posting(doc, gl_entries, row_accounts: RowAccounts):
	"""Posting guard: each inventory account's GL movement equals the stock value of its rows."""
	precision = doc.get_debit_field_precision()
	posted = defaultdict(float)
	for entry in gl_entries:
		posted[entry.get("account")] += flt(entry.get("debit")) - flt(entry.get("credit"))
	found = mismatches(row_accounts.expected_movement(precision), posted, precision)
	if not found:
		return
	message = "<br>".join(
		_("{0} {1}: account {2} moves {3} in the GL but its rows' stock value moves {4}").format(
			_(doc.doctype), doc.name, frappe.bold(account), flt(gl, precision), flt(stock, precision)
		)
		for account, stock, gl in found
	)
	if (company_settings(doc.company).posting_guard or "Block Submit") == "Log Warning":
		frappe.log_error(title=_("Inventory posting mismatch on {0} {1}").format(doc.doctype, doc.name), message=message)
	else:
		frappe.throw(message, title=_("Stock and GL Disagree"))


def check_accounts_resolve(doc, method=None):
	"""before_submit: every stock row has an inventory account before anything is posted."""
	if _applies(doc):
		RowAccounts(doc)
