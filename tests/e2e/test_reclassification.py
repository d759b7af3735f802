"""An Inventory Reclassification in the Desk, as an accountant makes one: the group rule of the
Desk company re-pointed to another account; saving shows every item and warehouse whose stock
moves, submitting posts exactly that, cancelling puts rule and balances back. The expected moves
are read from the stock ledger, not written down: earlier runs leave stock behind."""

# ruff: noqa: E402  (the layer skips itself before importing frappe)
from .availability import require

require()

import frappe
import pytest
from frappe.utils import flt

from ..integration.factory import reclassify_rule
from .desk import amount
from .desk_data import COMPANY, ITEM

DOCTYPE = "Inventory Reclassification"


def fresh_gl(name):
	"""The voucher's GL per account, read in a new transaction (the Desk's server wrote it)."""
	frappe.db.rollback()
	rows = frappe.db.sql(
		"""select account, sum(debit) - sum(credit) from `tabGL Entry`
		where voucher_type = %s and voucher_no = %s and is_cancelled = 0 group by account""",
		(DOCTYPE, name),
	)
	return {account: flt(net, 2) for account, net in rows if flt(net, 2)}


@pytest.fixture(scope="module")
def held(desk_data):
	"""The Desk company's stock of its item per warehouse: what the group rule's change moves."""
	frappe.db.rollback()
	rows = frappe.db.sql(
		"""select warehouse, sum(actual_qty), sum(stock_value_difference) from `tabStock Ledger Entry`
		where company = %s and item_code = %s and is_cancelled = 0 group by warehouse having sum(stock_value_difference) != 0
		order by warehouse""",
		(COMPANY, ITEM),
	)
	assert rows, "the Desk company holds no stock of its item"
	return [(warehouse, flt(qty), flt(value, 2)) for warehouse, qty, value in rows]


@pytest.fixture(scope="module")
def saved(desk, desk_data, held):
	desk.new_form(DOCTYPE, company=COMPANY)
	desk.set_field("change", "Inventory Account Rule")
	desk.set_field("rule_action", "Change Account")
	desk.set_field("rule", desk_data["group rule"])
	desk.set_field("rule_account", desk_data["desk rule account"])
	desk.save()
	yield desk.await_saved()
	# put the rule back if a test stopped before its cancel did, so that the later tests see it
	frappe.db.rollback()
	if frappe.db.get_value("Inventory Account Rule", desk_data["group rule"], "account") != desk_data["rule account"]:
		reclassify_rule(COMPANY, "Change Account", desk_data["group rule"], rule_account=desk_data["rule account"])
		frappe.db.commit()


def test_saving_previews_every_move_and_posts_nothing(desk, desk_data, held, saved):
	desk.scroll_to("moves")
	rows = desk.grid_rows("moves", ["item_code", "warehouse", "value", "from_account", "to_account"])
	assert [(r["item_code"], r["warehouse"], amount(r["value"]), r["from_account"], r["to_account"]) for r in rows] == [
		(ITEM, warehouse, value, desk_data["rule account"], desk_data["desk rule account"]) for warehouse, _qty, value in held
	]
	assert fresh_gl(saved) == {}
	assert frappe.db.get_value("Inventory Account Rule", desk_data["group rule"], "account") == desk_data["rule account"]


def test_submitting_moves_the_value_and_cancelling_puts_it_back(desk, desk_data, held, saved):
	total = flt(sum(value for _w, _q, value in held), 2)
	desk.submit()
	assert fresh_gl(saved) == {desk_data["desk rule account"]: total, desk_data["rule account"]: -total}
	assert frappe.db.get_value("Inventory Account Rule", desk_data["group rule"], "account") == desk_data["desk rule account"]

	desk.cancel()
	assert fresh_gl(saved) == {}
	assert frappe.db.get_value("Inventory Account Rule", desk_data["group rule"], "account") == desk_data["rule account"]
