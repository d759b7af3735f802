"""A company that kept periodic inventory (perpetual inventory off), with the history the
migration has to deal with: receipts at several rates into several warehouses, billed, partly
billed and not billed, a return, a delivery, stock entries, a manual journal on the stock account.

Created once and committed; its figures, worked out by hand from the documents below, are the
independent expectations of the migration tests.
"""

import frappe
from frappe.utils import add_days, getdate, nowdate

from .factory import ensure_account, ensure_company, ensure_item, ensure_item_group, ensure_party, ensure_warehouse
from .stock_documents import CUSTOMER, SUPPLIER

COMPANY = "PIP Periodic Co"
A = "PPD"
ITEM_A, ITEM_B = "PIP-PD-A", "PIP-PD-B"


def acc(name):
	return f"{name} - {A}"


def day(offset: int):
	return getdate(add_days(nowdate(), offset))


def setup():
	"""The history, and the cutover date that follows it (ten days before today)."""
	ensure_company(COMPANY, A, perpetual=0)
	warehouses = {
		# no account anywhere up its tree: the company default
		"Stores": f"Stores - {A}",
		# its own account
		"East": ensure_warehouse(COMPANY, "Periodic East", account=ensure_account(COMPANY, "East Stock", acc("Stock Assets"))),
		# a group with an account, and a child without one: the parent's account
		"Region": ensure_warehouse(
			COMPANY, "Periodic Region", is_group=1, account=ensure_account(COMPANY, "Region Stock", acc("Stock Assets"))
		),
	}
	warehouses["North"] = ensure_warehouse(COMPANY, "Periodic North", parent=warehouses["Region"])
	ensure_item_group("PIP Periodic Goods")
	ensure_item(ITEM_A, "PIP Periodic Goods")
	ensure_item(ITEM_B, "PIP Periodic Goods")
	ensure_party("Supplier", SUPPLIER)
	ensure_party("Customer", CUSTOMER)
	frappe.db.commit()
	if not frappe.db.exists("Stock Ledger Entry", {"company": COMPANY}):
		_history(warehouses)
		frappe.db.commit()
	return frappe._dict(warehouses=warehouses, cutover=_last_stock_date() and add_days(_last_stock_date(), 1))


def setup_other_periodic_company():
	"""A second periodic company, with no history, that never asks to migrate."""
	return ensure_company("PIP Periodic Two", "PP2", perpetual=0)


def _last_stock_date():
	return frappe.db.sql(
		"select max(posting_date) from `tabStock Ledger Entry` where company = %s and is_cancelled = 0", COMPANY
	)[0][0]


def _history(wh):
	from erpnext.controllers.sales_and_purchase_return import make_return_doc
	from erpnext.stock.doctype.purchase_receipt.purchase_receipt import make_purchase_invoice

	pr1 = receipt(day(-30), [(ITEM_A, 10, 200, wh["Stores"])])
	invoice(make_purchase_invoice(pr1.name), day(-28))  # billed in full
	journal(day(-26), [(acc("Stock In Hand"), 500, 0), (acc("Stock Adjustment"), 0, 500)], "stock counted into the ledger")
	pr2 = receipt(day(-25), [(ITEM_B, 5, 300, wh["East"])])
	partly = make_purchase_invoice(pr2.name)
	partly.items[0].qty = 2
	invoice(partly, day(-20))  # billed 2 of 5
	receipt(day(-22), [(ITEM_A, 4, 250, wh["North"])])  # not billed
	pr4 = receipt(day(-21), [(ITEM_B, 3, 100, wh["Stores"])])  # not billed, 1 returned
	back = make_return_doc("Purchase Receipt", pr4.name)
	back.items[0].qty = -1
	back.items[0].received_qty = -1
	dated(back, day(-19)).submit()
	delivery = frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": COMPANY,
			"customer": CUSTOMER,
			"currency": "USD",
			"selling_price_list": "Standard Selling",
			"items": [{"item_code": ITEM_A, "qty": 3, "rate": 500, "warehouse": wh["Stores"], "cost_center": acc("Main")}],
		}
	)
	dated(delivery, day(-18)).submit()
	stock_entry(day(-17), "Material Receipt", [(ITEM_B, 2, 120, None, wh["North"])])
	stock_entry(day(-16), "Material Transfer", [(ITEM_A, 1, 0, wh["Stores"], wh["East"])])


def dated(doc, posting_date):
	doc.set_posting_time = 1
	doc.posting_date = posting_date
	doc.insert()
	return doc


def receipt(posting_date, items, company=COMPANY, submit=True):
	doc = frappe.get_doc(
		{
			"doctype": "Purchase Receipt",
			"company": company,
			"supplier": SUPPLIER,
			"items": [{"item_code": i, "qty": q, "rate": r, "warehouse": w} for i, q, r, w in items],
		}
	)
	dated(doc, posting_date)
	if submit:
		doc.submit()
	return doc


def invoice(doc, posting_date):
	doc.bill_date = posting_date
	doc.due_date = posting_date
	dated(doc, posting_date).submit()
	return doc


def journal(posting_date, lines, remark):
	doc = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": COMPANY,
			"posting_date": posting_date,
			"user_remark": remark,
			"accounts": [
				{"account": a, "debit_in_account_currency": dr, "credit_in_account_currency": cr, "cost_center": acc("Main")}
				for a, dr, cr in lines
			],
		}
	).insert()
	doc.submit()
	return doc


def stock_entry(posting_date, purpose, items):
	doc = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": purpose,
			"company": COMPANY,
			"items": [
				{"item_code": i, "qty": q, "basic_rate": r, "s_warehouse": s, "t_warehouse": t} for i, q, r, s, t in items
			],
		}
	)
	dated(doc, posting_date).submit()
	return doc


# What the documents above leave as of the cutover, worked out by hand (FIFO throughout).
STOCK_VALUE = {
	# Stores: A 10 x 200 - 3 delivered - 1 transferred = 6 x 200; B 3 x 100 - 1 returned = 2 x 100
	acc("Stock In Hand"): 6 * 200 + 2 * 100,
	# East: B 5 x 300, and the A transferred in at 200
	acc("East Stock"): 5 * 300 + 200,
	# North, through its parent Region: A 4 x 250, B 2 x 120
	acc("Region Stock"): 4 * 250 + 2 * 120,
}
GL_BEFORE = {acc("Stock In Hand"): 500}  # the manual journal; periodic receipts post no stock GL
RECEIVED_NOT_BILLED = {  # by receipt posting order: PR2 3 of 5 at 300, PR3 4 at 250, PR4 2 of 3 at 100
	"PR2": 3 * 300,
	"PR3": 4 * 250,
	"PR4": 2 * 100,
}
