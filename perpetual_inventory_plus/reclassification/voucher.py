"""The Inventory Reclassification voucher: a change of the mapping with the stock on hand it moves.

Saved, it previews every (item, warehouse) whose account changes, with quantity, value and both
accounts. Submitted, it makes the change and posts the moves with ERPNext's `make_gl_entries`
(the new account debited, the old one credited) in one transaction, as of the moment it is
submitted. Cancelled, it reverses its GL and puts the mapping back, as long as no stock moved
since (else the stock that moved posted with the new mapping and would be stranded)."""

import json

import erpnext
import frappe
from frappe import _
from frappe.utils import flt, now_datetime, nowdate

from erpnext.accounts.general_ledger import make_gl_entries, make_reverse_gl_entries
from erpnext.accounts.utils import get_fiscal_year

from perpetual_inventory_plus.accounts.ledgers import currency_precision
from perpetual_inventory_plus.accounts.validation import validate_inventory_account
from perpetual_inventory_plus.reclassification.changes import (
	CARRIED_OUT_BY,
	default_account_change,
	item_group_change,
	planned_moves,
	rule_change,
	switch_change,
	warehouse_change,
)
from perpetual_inventory_plus.reclassification.core import Move, journal
from perpetual_inventory_plus.settings import SETTINGS

RULE, WAREHOUSE, DEFAULT, ITEM_GROUP, SWITCH = (
	"Inventory Account Rule",
	"Warehouse",
	"Company Default Inventory Account",
	"Item Group of an Item",
	"Company in Perpetual Inventory Settings",
)
MAY_RECLASSIFY = ("Accounts Manager", "System Manager")


def _context(doc):
	return _("Inventory Reclassification {0}").format(doc.name or _("(new)"))


def _check_account(doc, account):
	validate_inventory_account(account, doc.company, _context(doc))


def _check_own(doc, doctype, name):
	company = frappe.db.get_value(doctype, name, "company")
	if company != doc.company:
		frappe.throw(
			_("{0}: {1} {2} belongs to company {3}, not {4}").format(_context(doc), _(doctype), frappe.bold(name), company, doc.company),
			title=_("Another Company's {0}").format(_(doctype)),
		)


def _target(doc):
	"""The changed document, in memory: the rule, warehouse, company, item or settings as they would be."""
	if doc.change == RULE:
		if doc.rule_action == "Add":
			rule = frappe.new_doc("Inventory Account Rule")
			rule.update({"company": doc.company, "account": doc.rule_account, "item": doc.rule_item,
				"item_group": doc.rule_item_group, "warehouse": doc.rule_warehouse})
			rule.name = "new rule"
			return rule
		rule = frappe.get_doc("Inventory Account Rule", doc.rule)
		if doc.rule_action == "Change Account":
			rule.account = doc.rule_account
		elif doc.rule_action in ("Disable", "Enable"):
			rule.disabled = int(doc.rule_action == "Disable")
		return rule
	if doc.change == WAREHOUSE:
		warehouse = frappe.get_doc("Warehouse", doc.warehouse)
		if doc.new_parent_warehouse:
			warehouse.parent_warehouse = doc.new_parent_warehouse
		if doc.create_account_under:
			warehouse.account = None
			warehouse.create_account_under = doc.create_account_under
		elif doc.new_account:
			warehouse.account = doc.new_account
		return warehouse
	if doc.change == ITEM_GROUP:
		item = frappe.get_doc("Item", doc.item)
		item.item_group = doc.new_item_group
		return item
	return None


def change_of(doc):
	"""The `changes.Change` the voucher makes, checked for what a user could get wrong."""
	if doc.change == RULE:
		if doc.rule_action in ("Add", "Change Account"):
			_check_account(doc, doc.rule_account)
		if doc.rule_action == "Add":
			if doc.rule_warehouse:
				_check_own(doc, "Warehouse", doc.rule_warehouse)
		elif not doc.rule:
			frappe.throw(_("{0}: choose the rule to {1}").format(_context(doc), _(doc.rule_action).lower()))
		else:
			_check_own(doc, "Inventory Account Rule", doc.rule)
		return rule_change(_target(doc), removed=doc.rule_action == "Delete")
	if doc.change == WAREHOUSE:
		_check_own(doc, "Warehouse", doc.warehouse)
		if doc.new_parent_warehouse:
			_check_own(doc, "Warehouse", doc.new_parent_warehouse)
		if doc.new_account:
			_check_account(doc, doc.new_account)
		if not (doc.new_account or doc.new_parent_warehouse or doc.create_account_under):
			frappe.throw(_("{0}: give the warehouse a new account, parent warehouse or Create Account Under").format(_context(doc)))
		return warehouse_change(_target(doc))
	if doc.change == DEFAULT:
		if doc.new_default_inventory_account:
			_check_account(doc, doc.new_default_inventory_account)
		return default_account_change(doc.company, doc.new_default_inventory_account)
	if doc.change == ITEM_GROUP:
		return item_group_change(doc.company, doc.item, doc.new_item_group)
	if doc.change == SWITCH:
		return switch_change(doc.company, on=bool(doc.resolve_inventory_accounts))
	frappe.throw(_("{0}: choose what changes").format(_context(doc)))


def preview(doc):
	"""validate: every move the change makes, into the voucher's table."""
	if not set(MAY_RECLASSIFY) & set(frappe.get_roles()):
		frappe.throw(
			_("{0}: only an Accounts Manager may change where stock is accounted").format(_context(doc)),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	if not erpnext.is_perpetual_inventory_enabled(doc.company):
		frappe.throw(_("{0}: company {1} does not use perpetual inventory").format(_context(doc), doc.company))
	doc.posting_date = doc.posting_date or nowdate()
	doc.set("moves", [])
	for m in planned_moves(change_of(doc)):
		doc.append("moves", {"item_code": m.item, "warehouse": m.warehouse, "qty": m.qty, "value": m.value,
			"from_account": m.from_account, "to_account": m.to_account})
	doc.total_value = sum(flt(m.value) for m in doc.moves)


def check_before_submit(doc):
	"""before_submit: the moves just recomputed are the ones the saved preview showed, and no
	repost of the company's stock is pending (it would re-post old vouchers after the change)."""
	queued = frappe.get_all(
		"Repost Item Valuation",
		filters={"company": doc.company, "docstatus": 1, "status": ("in", ("Queued", "In Progress"))},
		pluck="name",
	)
	if queued:
		frappe.throw(_("{0}: wait for the stock reposts of company {1} to finish: {2}").format(_context(doc), doc.company, ", ".join(queued)))
	fields = ["item_code", "warehouse", "value", "from_account", "to_account"]
	shown = [tuple(r) for r in frappe.get_all(
		"Inventory Reclassification Move", filters={"parent": doc.name, "parenttype": doc.doctype}, fields=fields, order_by="idx", as_list=True
	)]
	now = [(m.item_code, m.warehouse, flt(m.value), m.from_account, m.to_account) for m in doc.moves]
	if [(*r[:2], flt(r[2]), *r[3:]) for r in shown] != now:
		frappe.throw(_("{0}: the stock on hand changed since the preview was saved; save it again to see the moves").format(_context(doc)))


def carry_out(doc):
	"""on_submit: the change and its GL, as of now."""
	now = now_datetime()  # as ERPNext's vouchers write theirs, to the microsecond
	doc.db_set({"posting_date": now.strftime("%Y-%m-%d"), "posting_time": now.strftime("%H:%M:%S.%f")})
	frappe.flags[CARRIED_OUT_BY] = doc.name
	try:
		doc.db_set("previous", json.dumps(_apply(doc), default=str))
	finally:
		frappe.flags[CARRIED_OUT_BY] = None
	_post_gl(doc)


def _post_gl(doc):
	found = [Move(m.item_code, m.warehouse, flt(m.qty), flt(m.value), m.from_account, m.to_account) for m in doc.moves]
	fiscal_year = get_fiscal_year(doc.posting_date, company=doc.company)[0]
	gl_map = [
		frappe._dict(
			account=account,
			against=against,
			debit=debit,
			credit=credit,
			debit_in_account_currency=debit,
			credit_in_account_currency=credit,
			account_currency=frappe.get_cached_value("Account", account, "account_currency"),
			company=doc.company,
			posting_date=doc.posting_date,
			fiscal_year=fiscal_year,
			voucher_type=doc.doctype,
			voucher_no=doc.name,
			remarks=_("Inventory Reclassification: {0}").format(doc.change),
			is_opening="No",
		)
		for account, debit, credit, against in journal(found, currency_precision())
	]
	if gl_map:
		make_gl_entries(gl_map, merge_entries=False)


def undo(doc):
	"""on_cancel: the GL reversed and the mapping put back, while no stock moved since."""
	moved_since = frappe.db.sql(
		"""select count(*) from `tabStock Ledger Entry` where company = %s and is_cancelled = 0
		and timestamp(posting_date, posting_time) > timestamp(%s, %s)""",
		(doc.company, doc.posting_date, doc.posting_time),
	)[0][0]
	if moved_since:
		frappe.throw(
			_("{0}: {1} stock ledger entries of company {2} were posted after it, with its mapping; it can no longer be cancelled. Make the reverse change with a new reclassification.").format(
				_context(doc), moved_since, doc.company
			),
			title=_("Stock Moved Since"),
		)
	make_reverse_gl_entries(voucher_type=doc.doctype, voucher_no=doc.name)
	frappe.flags[CARRIED_OUT_BY] = doc.name
	try:
		_restore(doc, json.loads(doc.previous or "{}"))
	finally:
		frappe.flags[CARRIED_OUT_BY] = None


def _apply(doc) -> dict:
	"""Makes the change through the documents' own controllers; returns what it replaced."""
	if doc.change == RULE:
		if doc.rule_action == "Add":
			rule = _target(doc)
			rule.name = None
			rule.insert()
			doc.db_set("rule", rule.name)
			return {"added": rule.name}
		if doc.rule_action == "Delete":
			rule = frappe.get_doc("Inventory Account Rule", doc.rule)
			previous = {"deleted": rule.as_dict()}
			frappe.delete_doc("Inventory Account Rule", doc.rule, force=True)
			return previous
		before = frappe.get_doc("Inventory Account Rule", doc.rule)
		previous = {"account": before.account, "disabled": before.disabled}
		_target(doc).save()
		return previous
	if doc.change == WAREHOUSE:
		before = frappe.get_doc("Warehouse", doc.warehouse)
		previous = {"account": before.account, "parent_warehouse": before.parent_warehouse,
			"create_account_under": before.get("create_account_under")}
		_target(doc).save()
		return previous
	if doc.change == DEFAULT:
		company = frappe.get_doc("Company", doc.company)
		previous = {"default_inventory_account": company.default_inventory_account}
		company.default_inventory_account = doc.new_default_inventory_account
		company.save()
		return previous
	if doc.change == ITEM_GROUP:
		previous = {"item_group": frappe.db.get_value("Item", doc.item, "item_group")}
		_target(doc).save()
		return previous
	settings = frappe.get_doc(SETTINGS)
	row = next((r for r in settings.companies if r.company == doc.company), None)
	previous = {"resolve_inventory_accounts": row.resolve_inventory_accounts if row else None}
	row = row or settings.append("companies", {"company": doc.company})
	row.resolve_inventory_accounts = doc.resolve_inventory_accounts
	settings.save()
	return previous


# The document each change edits, by its name on the reclassification.
_EDITED = {WAREHOUSE: ("Warehouse", "warehouse"), DEFAULT: ("Company", "company"), ITEM_GROUP: ("Item", "item")}


def _restore(doc, previous: dict):
	if doc.change == RULE and "added" in previous:
		frappe.delete_doc("Inventory Account Rule", previous["added"], force=True)
	elif doc.change == RULE and "deleted" in previous:
		frappe.get_doc(previous["deleted"]).insert(set_name=previous["deleted"]["name"])
	elif doc.change == RULE or doc.change in _EDITED:
		doctype, field = ("Inventory Account Rule", "rule") if doc.change == RULE else _EDITED[doc.change]
		edited = frappe.get_doc(doctype, doc.get(field))
		edited.update(previous)
		edited.save()
	else:
		settings = frappe.get_doc(SETTINGS)
		row = next(r for r in settings.companies if r.company == doc.company)
		if previous.get("resolve_inventory_accounts") is None:
			settings.remove(row)
		else:
			row.resolve_inventory_accounts = previous["resolve_inventory_accounts"]
		settings.save()
