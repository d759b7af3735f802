"""Issue 3 on a real site: an item-group rule sends that group's rows to its account on every
stock voucher and on their cancellations; parity with ERPNext where no rule matches; repost."""

import frappe
import pytest
from frappe.utils import add_days, nowdate

from .factory import add_rule, enable_app_for
from .stock_documents import (
	COMPANY,
	SEED_CHARGES,
	acc,
	assert_cancel_nets_to_zero,
	assert_parity_with_erpnext,
	gl_by_account,
	purchase_receipt,
	selling,
	stock_entry,
	stock_reconciliation,
)


@pytest.fixture
def layout(posting):
	return posting


@pytest.fixture
def rule(layout):
	"""Raw material stored in Stores posts to "Raw Material Stock"; anything else as ERPNext does."""
	enable_app_for(COMPANY)
	add_rule(COMPANY, layout["rule account"], item_group="PIP Raw Material", warehouse=layout["Stores"])
	return layout["rule account"]


def test_purchase_receipt_return_and_invoice_with_update_stock(layout, rule):
	receipt = purchase_receipt(
		[("PIP-RM0001", 10, 200, layout["Stores"]), ("PIP-DESKTOP", 5, 100, layout["Stores"])], taxes=SEED_CHARGES
	)
	assert gl_by_account("Purchase Receipt", receipt.name) == {
		rule: 2000 + 200,  # its share of the 250 charges, by value: 2000 / 2500
		acc("Stores"): 500 + 50,
		acc("Stock Received But Not Billed"): -2500,
		acc("Shipping Charges"): -100,
		acc("Customs Duty"): -150,
	}

	from erpnext.stock.doctype.purchase_receipt.purchase_receipt import make_purchase_return

	ret = make_purchase_return(receipt.name)
	ret.items = [row for row in ret.items if row.item_code == "PIP-RM0001"]
	ret.items[0].qty = ret.items[0].received_qty = -2
	ret.taxes = []
	ret.insert()
	ret.submit()
	gl = gl_by_account("Purchase Receipt", ret.name)
	assert gl[rule] == -440 and acc("Stores") not in gl

	invoice = frappe.get_doc(
		{
			"doctype": "Purchase Invoice",
			"company": COMPANY,
			"supplier": "Arcu Vel Quam Fabricators",
			"update_stock": 1,
			"items": [{"item_code": "PIP-RM0001", "qty": 4, "rate": 50, "warehouse": layout["Stores"]}],
		}
	).insert()
	invoice.submit()
	assert gl_by_account("Purchase Invoice", invoice.name) == {rule: 200, acc("Creditors"): -200}

	for doc in (invoice, ret, receipt):
		assert_cancel_nets_to_zero(doc)


def test_delivery_note_sales_invoice_and_their_returns(layout, rule):
	purchase_receipt([("PIP-RM0001", 10, 200, layout["Stores"])], taxes=SEED_CHARGES)
	note = selling("Delivery Note", [("PIP-RM0001", 5, 300, layout["Stores"])])
	assert gl_by_account("Delivery Note", note.name) == {rule: -1125, acc("Cost of Goods Sold"): 1125}
	invoice = selling("Sales Invoice", [("PIP-RM0001", 2, 300, layout["Stores"])], update_stock=1)
	gl = gl_by_account("Sales Invoice", invoice.name)
	assert (gl[rule], gl[acc("Cost of Goods Sold")], gl[acc("Sales")]) == (-450, 450, -600)

	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

	ret = make_sales_return(note.name)
	ret.items[0].qty = -1
	ret.insert()
	ret.submit()
	assert gl_by_account("Delivery Note", ret.name) == {rule: 225, acc("Cost of Goods Sold"): -225}

	for doc in (ret, invoice, note):
		assert_cancel_nets_to_zero(doc)


def test_stock_entries_route_by_rule_and_warehouse(layout, rule):
	stores, wip = layout["Stores"], layout["Work In Progress"]
	receipt = stock_entry("Material Receipt", [("PIP-RM0001", 10, 200, None, stores), ("PIP-DESKTOP", 1, 50, None, stores)])
	assert gl_by_account("Stock Entry", receipt.name) == {
		rule: 2000,
		acc("Stores"): 50,
		acc("Stock Adjustment"): -2050,
	}
	transfer = stock_entry("Material Transfer", [("PIP-RM0001", 3, 0, stores, wip)])
	assert gl_by_account("Stock Entry", transfer.name) == {rule: -600, acc("Work In Progress"): 600}
	issue = stock_entry("Material Issue", [("PIP-RM0001", 2, 0, stores, None)])
	assert gl_by_account("Stock Entry", issue.name) == {rule: -400, issue.items[0].expense_account: 400}
	for doc in (issue, transfer, receipt):
		assert_cancel_nets_to_zero(doc)


def test_transfer_between_warehouses_sharing_an_account_but_resolving_apart(layout, rule):
	"""Stores and its annex share ERPNext's account; the rule covers Stores only, so the transfer
	moves value from the rule's account to Stores' account."""
	stores = layout["Stores"]
	annex = frappe.get_doc(
		{"doctype": "Warehouse", "warehouse_name": "PIP Stores Annex 2", "company": COMPANY, "account": acc("Stores")}
	).insert()
	stock_entry("Material Receipt", [("PIP-RM0001", 10, 200, None, stores)])
	transfer = stock_entry("Material Transfer", [("PIP-RM0001", 4, 0, stores, annex.name)])
	assert gl_by_account("Stock Entry", transfer.name) == {rule: -800, acc("Stores"): 800}
	assert_cancel_nets_to_zero(transfer)


def test_stock_reconciliation(layout, rule):
	stock_entry("Material Receipt", [("PIP-RM0001", 10, 200, None, layout["Stores"])])
	reco = stock_reconciliation("PIP-RM0001", layout["Stores"], 12, 210)
	# 12 x 210 - 10 x 200
	assert gl_by_account("Stock Reconciliation", reco.name) == {rule: 520, acc("Stock Adjustment"): -520}
	assert_cancel_nets_to_zero(reco)


def test_landed_cost_voucher_reposts_the_receipt_on_the_rule_account(layout, rule):
	receipt = purchase_receipt([("PIP-RM0001", 10, 200, layout["Stores"])])
	lcv = frappe.get_doc(
		{
			"doctype": "Landed Cost Voucher",
			"company": COMPANY,
			"distribute_charges_based_on": "Amount",
			"purchase_receipts": [
				{"receipt_document_type": "Purchase Receipt", "receipt_document": receipt.name, "supplier": receipt.supplier}
			],
			"taxes": [{"description": "Freight", "amount": 300, "expense_account": acc("Expenses Included In Valuation")}],
		}
	)
	lcv.get_items_from_purchase_receipts()
	lcv.insert()
	lcv.submit()
	assert gl_by_account("Purchase Receipt", receipt.name) == {
		rule: 2300,
		acc("Stock Received But Not Billed"): -2000,
		acc("Expenses Included In Valuation"): -300,
	}
	lcv.reload()
	lcv.cancel()
	assert gl_by_account("Purchase Receipt", receipt.name) == {
		rule: 2000,
		acc("Stock Received But Not Billed"): -2000,
	}


def post_sample_set(layout):
	stores, wip = layout["Stores"], layout["Work In Progress"]
	docs = [
		purchase_receipt([("PIP-RM0001", 10, 200, stores), ("PIP-DESKTOP", 5, 100, wip)], taxes=SEED_CHARGES),
		selling("Delivery Note", [("PIP-RM0001", 3, 300, stores)]),
		selling("Sales Invoice", [("PIP-DESKTOP", 1, 300, wip)], update_stock=1),
		stock_entry("Material Transfer", [("PIP-RM0001", 2, 0, stores, wip)]),
		stock_entry("Material Issue", [("PIP-RM0001", 1, 0, wip, None)]),
	]
	return [
		frappe.db.sql(
			"""select account, debit, credit, against, cost_center from `tabGL Entry`
			where voucher_type = %s and voucher_no = %s and is_cancelled = 0 order by account, debit, credit""",
			(d.doctype, d.name),
		)
		for d in docs
	]


def test_parity_with_erpnext_when_no_rule_matches(layout):
	assert_parity_with_erpnext(lambda: post_sample_set(layout), layout["rule account"])


def test_backdated_receipt_repost_keeps_rule_accounts(layout, rule):
	stores = layout["Stores"]

	def receipt(qty, rate, days_ago):
		return purchase_receipt(
			[("PIP-RM0001", qty, rate, stores)], set_posting_time=1, posting_date=add_days(nowdate(), -days_ago)
		)

	def delivery():
		return selling("Delivery Note", [("PIP-RM0001", 5, 300, stores)], set_posting_time=1, posting_date=nowdate())

	receipt(10, 200, 2)
	note = delivery()
	assert gl_by_account("Delivery Note", note.name) == {rule: -1000, acc("Cost of Goods Sold"): 1000}
	receipt(10, 100, 3)  # backdated: FIFO now consumes the cheaper, earlier receipt
	reposted = gl_by_account("Delivery Note", note.name)
	assert reposted == {rule: -500, acc("Cost of Goods Sold"): 500}

	frappe.db.rollback()
	enable_app_for(COMPANY)
	add_rule(COMPANY, rule, item_group="PIP Raw Material", warehouse=stores)
	receipt(10, 100, 3)
	receipt(10, 200, 2)
	assert gl_by_account("Delivery Note", delivery().name) == reposted


def test_stock_and_account_value_comparison_shows_no_difference(layout, rule):
	from erpnext.stock.report.stock_and_account_value_comparison.stock_and_account_value_comparison import execute

	stores, wip = layout["Stores"], layout["Work In Progress"]
	purchase_receipt([("PIP-RM0001", 10, 200, stores), ("PIP-DESKTOP", 5, 100, stores)], taxes=SEED_CHARGES)
	selling("Delivery Note", [("PIP-RM0001", 3, 300, stores)])
	stock_entry("Material Transfer", [("PIP-RM0001", 2, 0, stores, wip)])
	_columns, rows = execute(frappe._dict(company=COMPANY, as_on_date=nowdate()))
	assert rows == []


@pytest.fixture
def swap_broken(monkeypatch):
	"""Posts as if the app missed every line (ERPNext's own accounts), to see the posting guard catch it."""
	from erpnext.controllers.stock_controller import StockController

	from perpetual_inventory_plus.posting.resolved_accounts import ResolvedInventoryAccounts, RowAccounts

	monkeypatch.setattr(RowAccounts, "account_for", lambda self, *args, **kwargs: None)  # version-15
	if hasattr(StockController, "get_inventory_account_dict"):  # version-16
		monkeypatch.setattr(
			ResolvedInventoryAccounts, "get_inventory_account_dict", StockController.get_inventory_account_dict
		)


def test_posting_guard_blocks_a_mismatch_naming_voucher_account_and_amounts(layout, rule, swap_broken):
	receipt = purchase_receipt([("PIP-RM0001", 10, 200, layout["Stores"])], submit=False)
	with pytest.raises(frappe.ValidationError) as e:
		receipt.submit()
	message = str(e.value)
	assert receipt.name in message and rule in message and "2000" in message and " 0" in message


def test_posting_guard_can_log_instead(layout, rule, swap_broken):
	enable_app_for(COMPANY, posting_guard="Log Warning")
	receipt = purchase_receipt([("PIP-RM0001", 10, 200, layout["Stores"])])
	assert receipt.docstatus == 1
	assert frappe.db.exists("Error Log", {"method": ("like", f"%{receipt.name}%")})
