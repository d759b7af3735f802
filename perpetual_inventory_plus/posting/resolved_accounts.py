"""Makes ERPNext's own stock GL post each stock row to its resolved inventory account.

ERPNext builds every stock GL line itself; the mixin only changes which inventory account a line
names, so the rest stays ERPNext's machinery: validations, merging, rounding, reversal on cancel,
and repost (`repost_gle_for_stock_vouchers` calls the same `get_gl_entries`). Where no rule
matches, the resolved account is ERPNext's own and nothing changes. How it changes the account
depends on the release (versions.py picks):

- version-16 asks `get_inventory_account_dict(row, inventory_account_map, warehouse_field)` for
  the account of every stock GL line, with the stock ledger entry or row and the warehouse field
  it posts; the mixin answers with the account resolved for that row's own item and warehouse.
- version-15 builds the lines from `warehouse_account[warehouse]["account"]` and passes each, with
  its row, through `get_gl_dict(args, account_currency, item=row)` before merging; the mixin swaps
  a line's warehouse account there for the account resolved for that row and warehouse.

The posting guard then compares, per inventory account, the GL movement with the stock value of
the stock ledger entries whose own item and warehouse resolve to it.
"""

from collections import Counter, defaultdict
from functools import cached_property

import erpnext
import frappe
from frappe import _
from frappe.utils import flt

from erpnext.stock import get_warehouse_account_map

from perpetual_inventory_plus.accounts.facts import load_company_facts, resolve_for_user
from perpetual_inventory_plus.accounts.stock_rows import placements
from perpetual_inventory_plus.posting.core import AmbiguousLine, line_account, mismatches
from perpetual_inventory_plus.settings import company_settings
from perpetual_inventory_plus.versions import ASKS_INVENTORY_ACCOUNT_PER_LINE


def _applies(doc) -> bool:
	"""The voucher moves stock and its company resolves inventory accounts with this app."""
	if doc.doctype in ("Purchase Invoice", "Sales Invoice") and not doc.get("update_stock"):
		return False
	row = company_settings(doc.company)
	return bool(row and row.resolve_inventory_accounts and erpnext.is_perpetual_inventory_enabled(doc.company))


class RowAccounts:
	"""For one voucher: the account resolved for each (item, warehouse) its rows and stock ledger
	name; on version-15 also, per row ERPNext posts GL lines with, the placements that row stands
	for, each with ERPNext's account and the resolved one."""

	def __init__(self, doc):
		self.doc = doc
		found = list(placements(doc))
		self.facts = load_company_facts(doc.company, {p.item for p in found})
		self.resolved = {}  # (item, warehouse) -> account
		self.gl_row_of = {}  # a placement's row (its stock ledger entries' voucher_detail_no) -> its GL row
		self.placements = defaultdict(dict)  # GL row -> (item, warehouse) -> (native, resolved); version-15
		self.taken = Counter()  # (GL row, native account, amount) -> lines given an account so far
		native = {} if ASKS_INVENTORY_ACCOUNT_PER_LINE else get_warehouse_account_map(doc.company)
		for p in found:
			resolved = self.account(p.item, p.warehouse, p.row)
			self.gl_row_of[p.row.name] = p.gl_row
			self.placements[p.gl_row][p.item, p.warehouse] = ((native.get(p.warehouse) or {}).get("account"), resolved)

	def account(self, item, warehouse, row=None) -> str:
		"""The resolved account of `item` in `warehouse`; an error names the voucher and `row`."""
		if (item, warehouse) not in self.resolved:
			if item not in self.facts.item_group_of and any(r.item_group for r in self.facts.rules):
				# an item the rows did not name (a stock ledger entry's own): item group rules need its groups
				self.facts = load_company_facts(self.doc.company, {item, *self.facts.item_group_of})
			context = _("{0} {1}").format(_(self.doc.doctype), self.doc.name)
			if row is not None:
				table = self.doc.meta.get_label(row.parentfield)
				context = _("{0}, {1} row {2}").format(context, _(table), row.idx)
			self.resolved[item, warehouse] = resolve_for_user(self.facts, item, warehouse, context).account
		return self.resolved[item, warehouse]

	@cached_property
	def stock_values(self):
		"""GL row -> (item, warehouse) -> the stock value of each of its stock ledger entries, rounded
		as the GL rounds. Read on first use: before submit there are none."""
		precision = self.doc.get_debit_field_precision()
		values = defaultdict(lambda: defaultdict(list))
		for d in frappe.db.sql(
			"""
			select voucher_detail_no, item_code, warehouse, stock_value_difference
			from `tabStock Ledger Entry`
			where voucher_type = %s and voucher_no = %s and is_cancelled = 0
			order by creation, name
			""",
			(self.doc.doctype, self.doc.name),
			as_dict=True,
		):
			gl_row = self.gl_row_of.get(d.voucher_detail_no, d.voucher_detail_no)
			values[gl_row][d.item_code, d.warehouse].append(flt(d.stock_value_difference, precision))
		return values

	def account_for(self, gl_row, native_account, amount, take=True):
		"""The resolved account for a GL line of `amount` on `native_account` that ERPNext posts with
		`gl_row`, or None to keep it (`core.line_account`). `take`: the line is an account's own, not
		another line's "against", and uses up the stock ledger entry it stands for."""
		candidates = {
			placement: resolved
			for placement, (native, resolved) in self.placements.get(gl_row, {}).items()
			if native == native_account
		}
		if len(set(candidates.values())) <= 1:  # the usual case needs no stock values
			return next(iter(candidates.values()), None)
		amount = flt(amount, self.doc.get_debit_field_precision())
		moved = {p: v for p, v in self.stock_values.get(gl_row, {}).items() if p in candidates}
		key = (gl_row, native_account, amount)
		try:
			account = line_account(candidates, moved, amount, self.taken[key])
		except AmbiguousLine:
			row = next(p.row for p in placements(self.doc) if p.gl_row == gl_row)
			frappe.throw(
				_(
					"{0} {1}, {2} row {3}: cannot tell which of {4} a GL line on account {5} belongs to"
				).format(
					_(self.doc.doctype),
					self.doc.name,
					_(self.doc.meta.get_label(row.parentfield)),
					row.idx,
					", ".join(f"{item} in {warehouse}" for item, warehouse in candidates),
					native_account,
				)
			)
		if take:
			self.taken[key] += 1
		return account

	def expected_movement(self, precision):
		"""Per resolved inventory account: the stock value moved by the stock ledger entries whose
		own item and warehouse resolve to it, rounded as ERPNext rounds each line."""
		expected = defaultdict(float)
		for d in frappe.db.sql(
			"""
			select item_code, warehouse, stock_value_difference
			from `tabStock Ledger Entry`
			where voucher_type = %s and voucher_no = %s and is_cancelled = 0
			""",
			(self.doc.doctype, self.doc.name),
			as_dict=True,
		):
			expected[self.account(d.item_code, d.warehouse)] += flt(d.stock_value_difference, precision)
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

	def get_inventory_account_dict(self, row, inventory_account_map, warehouse_field=None):
		"""version-16 (StockController.get_inventory_account_dict): the account of a stock GL line
		of `row`, a stock ledger entry or a voucher row, posting its `warehouse_field`. ERPNext
		also asks outside the GL: Purchase Invoice with Update Stock sets each row's expense
		account from it when validated."""
		item = row.get("rm_item_code") or row.get("item_code")
		warehouse = row.get(warehouse_field or "warehouse") or self.get(warehouse_field or "warehouse")
		if not (item and warehouse and _applies(self)):
			return super().get_inventory_account_dict(row, inventory_account_map, warehouse_field)
		row_accounts = self.flags.get("inventory_row_accounts")
		if row_accounts is None:  # outside the GL: one resolver for the rest of the request
			row_accounts = self.flags.inventory_resolver = self.flags.get("inventory_resolver") or RowAccounts(self)
		account = row_accounts.account(item, warehouse)
		return frappe._dict(
			account=account,
			account_currency=frappe.get_cached_value("Account", account, "account_currency"),
		)

	def get_gl_dict(self, args, account_currency=None, item=None):
		row_accounts = self.flags.get("inventory_row_accounts")
		if ASKS_INVENTORY_ACCOUNT_PER_LINE:  # version-16 named the resolved account already
			return super().get_gl_dict(args, account_currency, item)
		if row_accounts and item is not None and item.get("name") in row_accounts.placements:
			args = dict(args)
			amount = flt(args.get("debit")) - flt(args.get("credit"))
			account = row_accounts.account_for(item.name, args.get("account"), amount)
			if account:
				args["account"] = account
			against = row_accounts.account_for(item.name, args.get("against"), -amount, take=False)
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
