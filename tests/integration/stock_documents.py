"""Seed 002's posting company and builders for the stock documents the GL tests submit."""

import frappe
from frappe.utils import flt

from .factory import ensure_account, ensure_company, ensure_item, ensure_item_group, ensure_party, seed_002_layout

COMPANY = "PIP Posting Co"
A = "PPC"
SUPPLIER = "Arcu Vel Quam Fabricators"
CUSTOMER = "Utah Automation Services"


def posting_setup():
	ensure_company(COMPANY, A)
	layout = seed_002_layout(COMPANY, stores_is_group=0)
	layout["Fixed Asset Warehouse"] = seed_fixed_asset_warehouse()
	ensure_item_group("PIP Raw Material", is_group=1)
	ensure_item_group("PIP Metals", parent="PIP Raw Material")
	ensure_item_group("PIP Products")
	ensure_item("PIP-RM0001", "PIP Metals")
	ensure_item("PIP-DESKTOP", "PIP Products")
	ensure_item("PIP-MA-001", "PIP Metals", valuation_method="Moving Average")
	for name in ("Shipping Charges", "Customs Duty"):
		ensure_account(COMPANY, name, f"Indirect Expenses - {A}", account_type="Chargeable")
	layout["rule account"] = ensure_account(COMPANY, "Raw Material Stock", f"Stock Assets - {A}")
	ensure_party("Supplier", SUPPLIER)
	ensure_party("Customer", CUSTOMER)
	frappe.db.commit()
	return layout


def seed_fixed_asset_warehouse():
	from .factory import ensure_warehouse

	fixed_assets = f"Fixed Assets - {A}"
	account = ensure_account(COMPANY, "Fixed Asset Warehouse", fixed_assets)
	return ensure_warehouse(COMPANY, "Fixed Asset Warehouse", account=account)


def acc(name):
	return f"{name} - {A}"


def gl_by_account(voucher_type, voucher_no, cancelled=0):
	"""account -> net debit (debit - credit) of the voucher's GL Entries."""
	rows = frappe.db.sql(
		"""select account, sum(debit) - sum(credit) from `tabGL Entry`
		where voucher_type = %s and voucher_no = %s and is_cancelled = %s group by account""",
		(voucher_type, voucher_no, cancelled),
	)
	return {account: flt(net, 2) for account, net in rows if flt(net, 2)}


def purchase_receipt(items, taxes=(), submit=True, **fields):
	doc = frappe.get_doc(
		{
			"doctype": "Purchase Receipt",
			"company": COMPANY,
			"supplier": SUPPLIER,
			"items": [{"item_code": i, "qty": q, "rate": r, "warehouse": w} for i, q, r, w in items],
			"taxes": [
				{
					"charge_type": "Actual",
					"category": category,
					"add_deduct_tax": "Add",
					"account_head": acc(account),
					"description": account,
					"tax_amount": amount,
					"cost_center": acc("Main"),
				}
				for account, amount, category in taxes
			],
			**fields,
		}
	).insert()
	if submit:
		doc.submit()
	return doc


SEED_CHARGES = (("Shipping Charges", 100, "Valuation and Total"), ("Customs Duty", 150, "Valuation and Total"))


def selling(doctype, items, submit=True, **fields):
	doc = frappe.get_doc(
		{
			"doctype": doctype,
			"company": COMPANY,
			"customer": CUSTOMER,
			"currency": "USD",
			"selling_price_list": "Standard Selling",
			"items": [
				{"item_code": i, "qty": q, "rate": r, "warehouse": w, "cost_center": acc("Main")} for i, q, r, w in items
			],
			**fields,
		}
	).insert()
	if submit:
		doc.submit()
	return doc


def stock_reconciliation(item, warehouse, qty, valuation_rate):
	"""A submitted Stock Reconciliation of one row, its difference to Stock Adjustment."""
	doc = frappe.get_doc(
		{
			"doctype": "Stock Reconciliation",
			"company": COMPANY,
			"purpose": "Stock Reconciliation",
			"expense_account": acc("Stock Adjustment"),
			"cost_center": acc("Main"),
			"items": [{"item_code": item, "warehouse": warehouse, "qty": qty, "valuation_rate": valuation_rate}],
		}
	).insert()
	doc.submit()
	return doc


def stock_entry(purpose, items, submit=True):
	doc = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": purpose,
			"company": COMPANY,
			"items": [
				{"item_code": i, "qty": q, "basic_rate": r, "s_warehouse": s, "t_warehouse": t}
				for i, q, r, s, t in items
			],
		}
	).insert()
	if submit:
		doc.submit()
	return doc


def assert_cancel_nets_to_zero(doc):
	"""Cancelling `doc` leaves each of its accounts at zero net."""
	doc.reload()
	doc.cancel()
	net = frappe.db.sql(
		"select account, sum(debit - credit) from `tabGL Entry` where voucher_type = %s and voucher_no = %s group by account",
		(doc.doctype, doc.name),
	)
	assert net and all(flt(total, 2) == 0 for _a, total in net)


def assert_parity_with_erpnext(post, rule_account):
	"""`post()` gives the same GL rows (a list per voucher) with the app off as with it on and a
	rule that matches none of the rows."""
	from .factory import add_rule, enable_app_for

	native = post()
	frappe.db.rollback()
	enable_app_for(COMPANY)
	add_rule(COMPANY, rule_account, item="PIP-MA-001")  # matches none of the rows
	assert post() == native
	assert all(native)
