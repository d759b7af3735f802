"""Issue 12 on a real site: every voucher that moves inventory value posts each stock ledger
entry's value to the account its own item and warehouse resolve to, on submit and on cancel;
product bundles by each packed item, subcontracting by the finished good and each raw material,
asset capitalization by each consumed stock item. The posting guard checks each of them and
ERPNext's Stock and Account Value Comparison finds nothing to report."""

import frappe
import pytest
from frappe.utils import flt, nowdate

from perpetual_inventory_plus.posting.resolved_accounts import RowAccounts

from .factory import add_rule, enable_app_for, ensure_account, ensure_item, ensure_item_group, ensure_warehouse
from .stock_documents import (
	COMPANY,
	SUPPLIER,
	A,
	acc,
	assert_cancel_nets_to_zero,
	assert_parity_with_erpnext,
	gl_by_account,
	selling,
	stock_entry,
	stock_reconciliation,
)

BUNDLE, PART, CABLE = "PIP-KIT", "PIP-KIT-PART", "PIP-KIT-CABLE"
FG, SERVICE, ASSET_ITEM = "PIP-SC-FG", "PIP-SC-SERVICE", "PIP-ASSET-RIG"
RM = "PIP-RM0001"  # item group PIP Metals, under PIP Raw Material


@pytest.fixture(scope="module")
def masters(posting):
	"""Bundle, subcontracting and asset masters of the posting company, created once and committed."""
	layout = dict(posting)
	ensure_item_group("PIP Parts")
	ensure_item_group("PIP Cables")
	ensure_item(PART, "PIP Parts")
	ensure_item(CABLE, "PIP Cables")
	ensure_item(BUNDLE, "PIP Products", is_stock_item=0)
	if not frappe.db.exists("Product Bundle", BUNDLE):
		frappe.get_doc(
			{
				"doctype": "Product Bundle",
				"new_item_code": BUNDLE,
				"items": [{"item_code": PART, "qty": 1}, {"item_code": CABLE, "qty": 2}],
			}
		).insert()
	stock_assets = f"Stock Assets - {A}"
	for name in ("Stock Parts", "Stock Cables", "Finished Stock", "Subcontractor Stock"):
		layout[name] = ensure_account(COMPANY, name, stock_assets)
	layout["Subcontractor"] = ensure_warehouse(COMPANY, "PIP Subcontractor", account=layout["Subcontractor Stock"])

	ensure_item(FG, "PIP Products")
	frappe.db.set_value("Item", FG, "is_sub_contracted_item", 1)
	ensure_item(SERVICE, "PIP Products", is_stock_item=0)
	if not frappe.db.exists("BOM", {"item": FG, "docstatus": 1, "is_default": 1}):
		bom = frappe.get_doc(
			{
				"doctype": "BOM",
				"item": FG,
				"company": COMPANY,
				"quantity": 1,
				"currency": "USD",
				"rm_cost_as_per": "Valuation Rate",
				"items": [{"item_code": RM, "qty": 2, "rate": 200}],
			}
		).insert()
		bom.submit()

	if not frappe.db.exists("Asset Category", "PIP Rigs"):
		frappe.get_doc(
			{
				"doctype": "Asset Category",
				"asset_category_name": "PIP Rigs",
				"accounts": [
					{
						"company_name": COMPANY,
						"fixed_asset_account": acc("Plants and Machineries"),
						"accumulated_depreciation_account": acc("Accumulated Depreciation"),
						"depreciation_expense_account": acc("Depreciation"),
					}
				],
			}
		).insert()
	if not frappe.db.exists("Item", ASSET_ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": ASSET_ITEM,
				"item_group": "PIP Products",
				"stock_uom": "Nos",
				"is_stock_item": 0,
				"is_fixed_asset": 1,
				"asset_category": "PIP Rigs",
			}
		).insert()
	if not frappe.db.exists("Location", "PIP Yard"):
		frappe.get_doc({"doctype": "Location", "location_name": "PIP Yard"}).insert()
	frappe.db.commit()
	return layout


def gl_rows(doc):
	return frappe.get_all(
		"GL Entry",
		filters={"voucher_type": doc.doctype, "voucher_no": doc.name, "is_cancelled": 0},
		fields=["account", "debit", "credit"],
	)


def assert_balanced(doc):
	rows = gl_rows(doc)
	assert rows and flt(sum(r.debit - r.credit for r in rows), 2) == 0


def assert_guard_sees_each_entry(doc):
	"""The posting guard's expectation per account equals the GL per account: each stock ledger
	entry of the voucher counted on its own item's and warehouse's account."""
	doc.reload()
	expected = RowAccounts(doc).expected_movement(2)
	gl = gl_by_account(doc.doctype, doc.name)
	assert expected and {a: flt(v, 2) for a, v in expected.items() if flt(v, 2)} == {a: gl[a] for a in expected if a in gl}


def explained(doc):
	"""(table, item, account) of each row Why This Account explains on `doc`."""
	from perpetual_inventory_plus.accounts.trace import explain_document

	return {(r["table"], r["item_code"], r["account"]) for r in explain_document(doc.doctype, doc.name)["rows"]}


def assert_no_value_difference():
	from erpnext.stock.report.stock_and_account_value_comparison.stock_and_account_value_comparison import execute

	_columns, rows = execute(frappe._dict(company=COMPANY, as_on_date=nowdate()))
	assert rows == []


@pytest.fixture
def bundle_rules(masters):
	enable_app_for(COMPANY)
	add_rule(COMPANY, masters["Stock Parts"], item_group="PIP Parts")
	add_rule(COMPANY, masters["Stock Cables"], item_group="PIP Cables")
	stores = masters["Stores"]
	stock_entry("Material Receipt", [(PART, 10, 30, None, stores), (CABLE, 20, 5, None, stores)])
	return masters


@pytest.mark.parametrize("doctype", ["Delivery Note", "Sales Invoice"])
def test_a_bundle_posts_each_packed_item_to_its_own_rule_account(bundle_rules, doctype):
	m = bundle_rules
	fields = {"update_stock": 1} if doctype == "Sales Invoice" else {}
	doc = selling(doctype, [(BUNDLE, 2, 100, m["Stores"])], **fields)
	assert {(p.item_code, p.qty) for p in doc.packed_items} == {(PART, 2), (CABLE, 4)}
	gl = gl_by_account(doctype, doc.name)
	# 2 parts at 30 and 4 cables at 5; Stores, the warehouse's own account, is not touched
	assert (gl[m["Stock Parts"]], gl[m["Stock Cables"]], gl[acc("Cost of Goods Sold")]) == (-60, -20, 80)
	assert acc("Stores") not in gl
	assert_balanced(doc)
	assert_guard_sees_each_entry(doc)
	assert_no_value_difference()
	# Why This Account explains the packed items, not the bundle's row
	assert explained(doc) == {("packed_items", PART, m["Stock Parts"]), ("packed_items", CABLE, m["Stock Cables"])}

	ret = returned(doctype, doc.name, 1)
	gl = gl_by_account(doctype, ret.name)
	assert (gl[m["Stock Parts"]], gl[m["Stock Cables"]], gl[acc("Cost of Goods Sold")]) == (30, 10, -40)
	assert_no_value_difference()
	for d in (ret, doc):
		assert_cancel_nets_to_zero(d)
	assert_no_value_difference()


def test_two_packed_items_of_equal_value_under_different_rules_each_take_one_line(bundle_rules):
	m = bundle_rules
	stock_entry("Material Receipt", [(CABLE, 20, 15, None, m["Work In Progress"])])
	stock_entry("Material Receipt", [(PART, 10, 30, None, m["Work In Progress"])])
	# at Work In Progress a part (30) and two cables (2 x 15) are worth the same
	note = selling("Delivery Note", [(BUNDLE, 1, 100, m["Work In Progress"])])
	gl = gl_by_account("Delivery Note", note.name)
	assert (gl[m["Stock Parts"]], gl[m["Stock Cables"]]) == (-30, -30)
	assert acc("Work In Progress") not in gl


def subcontracting_order(m, qty=10, service_rate=10):
	"""A subcontracted purchase order for `qty` finished goods (2 raw materials each), its
	Subcontracting Order, and the raw materials sent to the subcontractor's warehouse."""
	from erpnext.buying.doctype.purchase_order.purchase_order import make_subcontracting_order
	from erpnext.controllers.subcontracting_controller import make_rm_stock_entry

	order = frappe.get_doc(
		{
			"doctype": "Purchase Order",
			"company": COMPANY,
			"supplier": SUPPLIER,
			"is_subcontracted": 1,
			"supplier_warehouse": m["Subcontractor"],
			"schedule_date": nowdate(),
			"set_warehouse": m["Stores"],
			"items": [
				{
					"item_code": SERVICE,
					"fg_item": FG,
					"fg_item_qty": qty,
					"qty": qty,
					"rate": service_rate,
					"warehouse": m["Stores"],
					"schedule_date": nowdate(),
				}
			],
		}
	).insert()
	order.submit()
	sco = make_subcontracting_order(order.name)
	sco.supplier_warehouse = m["Subcontractor"]
	for row in sco.items:
		row.warehouse = m["Stores"]
	sco.insert()
	sco.submit()
	send = frappe.get_doc(make_rm_stock_entry(sco.name))
	for row in send.items:
		row.s_warehouse, row.t_warehouse = m["Stores"], m["Subcontractor"]
	send.insert()
	send.submit()
	return sco, send


def test_send_to_subcontractor_moves_the_rule_accounts_value(masters):
	m = masters
	enable_app_for(COMPANY)
	add_rule(COMPANY, m["rule account"], item_group="PIP Raw Material", warehouse=m["Stores"])
	stock_entry("Material Receipt", [(RM, 40, 200, None, m["Stores"])])
	_sco, send = subcontracting_order(m)
	# 20 raw materials at 200 leave the rule's account for the subcontractor's warehouse account
	assert gl_by_account("Stock Entry", send.name) == {m["rule account"]: -4000, m["Subcontractor Stock"]: 4000}
	assert_guard_sees_each_entry(send)
	assert_no_value_difference()
	assert_cancel_nets_to_zero(send)


def test_a_subcontracting_receipt_posts_the_good_and_each_raw_material_to_its_own_rule(masters):
	from erpnext.subcontracting.doctype.subcontracting_order.subcontracting_order import make_subcontracting_receipt

	m = masters
	enable_app_for(COMPANY)
	add_rule(COMPANY, m["rule account"], item_group="PIP Raw Material")
	add_rule(COMPANY, m["Finished Stock"], item_group="PIP Products")
	stock_entry("Material Receipt", [(RM, 40, 200, None, m["Stores"])])
	sco, send = subcontracting_order(m)
	assert gl_by_account("Stock Entry", send.name) == {}  # both warehouses resolve to the rule account

	receipt = frappe.get_doc(make_subcontracting_receipt(sco.name))
	receipt.insert()
	receipt.submit()
	gl = gl_by_account("Subcontracting Receipt", receipt.name)
	# 10 goods of 2 raw materials at 200 plus a service of 10 each
	assert gl[m["Finished Stock"]] == 4100 and gl[m["rule account"]] == -4000
	assert not {acc("Stores"), m["Subcontractor Stock"]} & set(gl)
	assert explained(receipt) == {("items", FG, m["Finished Stock"]), ("supplied_items", RM, m["rule account"])}
	assert_balanced(receipt)
	assert_guard_sees_each_entry(receipt)
	assert_no_value_difference()
	assert_cancel_nets_to_zero(receipt)
	assert_no_value_difference()


def capitalize(m, items):
	"""An Asset Capitalization of `items` ((item, qty) from Stores) into a draft composite asset."""
	composite = {"asset_type": "Composite Asset"} if frappe.get_meta("Asset").has_field("asset_type") else {}
	asset = frappe.get_doc(
		{
			"doctype": "Asset",
			"asset_name": "PIP Rig",
			"item_code": ASSET_ITEM,
			"company": COMPANY,
			"location": "PIP Yard",
			"asset_owner": "Company",
			"purchase_date": nowdate(),
			"available_for_use_date": nowdate(),
			"gross_purchase_amount": 0,  # version-15's name; version-16's is net_purchase_amount
			"net_purchase_amount": 0,
			"is_composite_asset": 1,  # version-15; version-16 says it with asset_type
			**composite,
		}
	).insert()
	doc = frappe.get_doc(
		{
			"doctype": "Asset Capitalization",
			"company": COMPANY,
			"capitalization_method": "Choose a WIP composite asset",  # version-15 asks
			"target_asset": asset.name,
			"target_item_code": ASSET_ITEM,
			"target_asset_location": "PIP Yard",
			"target_qty": 1,
			"posting_date": nowdate(),
			"stock_items": [{"item_code": i, "warehouse": m["Stores"], "stock_qty": q} for i, q in items],
		}
	).insert()
	doc.submit()
	return doc


def test_asset_capitalization_credits_each_consumed_item_to_its_rule_account(masters):
	m = masters
	enable_app_for(COMPANY)
	add_rule(COMPANY, m["rule account"], item_group="PIP Raw Material")
	stock_entry("Material Receipt", [(RM, 10, 200, None, m["Stores"]), ("PIP-DESKTOP", 5, 100, None, m["Stores"])])
	doc = capitalize(m, [(RM, 2), ("PIP-DESKTOP", 1)])
	gl = gl_by_account("Asset Capitalization", doc.name)
	assert gl[m["rule account"]] == -400 and gl[acc("Stores")] == -100
	assert gl[doc.target_fixed_asset_account] == 500
	assert_balanced(doc)
	assert_guard_sees_each_entry(doc)
	assert_no_value_difference()
	assert_cancel_nets_to_zero(doc)


def post_each_new_voucher(m):
	"""A bundle's delivery, a subcontracting round and a capitalization; the GL rows of each."""
	from erpnext.subcontracting.doctype.subcontracting_order.subcontracting_order import make_subcontracting_receipt

	stores = m["Stores"]
	stock_entry("Material Receipt", [(PART, 10, 30, None, stores), (CABLE, 20, 5, None, stores), (RM, 50, 200, None, stores)])
	docs = [selling("Delivery Note", [(BUNDLE, 2, 100, stores)])]
	sco, send = subcontracting_order(m)
	receipt = frappe.get_doc(make_subcontracting_receipt(sco.name)).insert()
	receipt.submit()
	docs += [send, receipt, capitalize(m, [(RM, 2)])]
	return [sorted((r.account, r.debit, r.credit) for r in gl_rows(d)) for d in docs]


def test_parity_with_erpnext_when_no_rule_matches(masters):
	assert_parity_with_erpnext(lambda: post_each_new_voucher(masters), masters["rule account"])


@pytest.fixture
def group_rules(masters):
	"""Raw material anywhere posts to the rule account, products anywhere to Finished Stock."""
	enable_app_for(COMPANY)
	add_rule(COMPANY, masters["rule account"], item_group="PIP Raw Material")
	add_rule(COMPANY, masters["Finished Stock"], item_group="PIP Products")
	stock_entry("Material Receipt", [(RM, 20, 200, None, masters["Stores"])])
	return masters


def production_entry(purpose, consumed, produced=(), scrap=()):
	"""A Stock Entry of `purpose` without a work order: (item, qty, warehouse) consumed, produced
	and scrapped (item, qty, rate, warehouse)."""
	rows = [{"item_code": i, "qty": q, "s_warehouse": w} for i, q, w in consumed]
	rows += [{"item_code": i, "qty": q, "t_warehouse": w, "is_finished_item": 1} for i, q, w in produced]
	rows += [{"item_code": i, "qty": q, "basic_rate": r, "t_warehouse": w, "is_scrap_item": 1} for i, q, r, w in scrap]
	doc = frappe.get_doc({"doctype": "Stock Entry", "stock_entry_type": purpose, "company": COMPANY, "items": rows}).insert()
	doc.submit()
	return doc


def assert_posted(doc, expected):
	assert gl_by_account(doc.doctype, doc.name) == expected
	assert_balanced(doc)
	assert_guard_sees_each_entry(doc)
	assert_no_value_difference()
	assert_cancel_nets_to_zero(doc)
	assert_no_value_difference()


def test_manufacture_with_scrap(group_rules):
	m = group_rules
	# 2 raw materials (400) make a good and a scrap worth 50: the good is valued 350
	doc = production_entry(
		"Manufacture",
		consumed=[(RM, 2, m["Stores"])],
		produced=[(FG, 1, m["Finished Goods"])],
		scrap=[("PIP-MA-001", 1, 50, m["Stores"])],
	)
	assert_posted(doc, {m["rule account"]: -350, m["Finished Stock"]: 350})


def test_repack(group_rules):
	m = group_rules
	doc = production_entry("Repack", consumed=[(RM, 4, m["Stores"])], produced=[("PIP-DESKTOP", 2, m["Stores"])])
	assert_posted(doc, {m["rule account"]: -800, m["Finished Stock"]: 800})


def test_material_transfer_for_manufacture(masters):
	m = masters
	enable_app_for(COMPANY)
	add_rule(COMPANY, m["rule account"], item_group="PIP Raw Material", warehouse=m["Stores"])
	stock_entry("Material Receipt", [(RM, 10, 200, None, m["Stores"])])
	doc = stock_entry("Material Transfer for Manufacture", [(RM, 3, 0, m["Stores"], m["Work In Progress"])])
	assert_posted(doc, {m["rule account"]: -600, acc("Work In Progress"): 600})


def test_material_consumption_for_manufacture(group_rules):
	m = group_rules
	doc = production_entry("Material Consumption for Manufacture", consumed=[(RM, 2, m["Stores"])])
	expense = doc.items[0].expense_account
	assert_posted(doc, {m["rule account"]: -400, expense: 400})


def test_stock_reconciliation_of_the_valuation_rate_only(group_rules):
	m = group_rules
	reco = stock_reconciliation(RM, m["Stores"], 20, 210)
	assert_posted(reco, {m["rule account"]: 200, acc("Stock Adjustment"): -200})


def returned(doctype, name, qty):
	"""A return of `qty` of the first row of `name`, submitted."""
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	ret = make_return_doc(doctype, name)
	ret.items[0].qty = -qty
	if ret.items[0].meta.has_field("received_qty"):
		ret.items[0].received_qty = -qty
	ret.insert()
	ret.submit()
	return ret


def purchase_invoice(m, qty, rate, update_stock):
	doc = frappe.get_doc(
		{
			"doctype": "Purchase Invoice",
			"company": COMPANY,
			"supplier": SUPPLIER,
			"update_stock": update_stock,
			"items": [{"item_code": RM, "qty": qty, "rate": rate, "warehouse": m["Stores"]}],
		}
	).insert()
	doc.submit()
	return doc


def test_purchase_invoice_returns_with_and_without_update_stock(group_rules):
	m = group_rules
	invoice = purchase_invoice(m, 5, 200, update_stock=1)
	ret = returned("Purchase Invoice", invoice.name, 2)
	assert_posted(ret, {m["rule account"]: -400, acc("Creditors"): 400})

	billed_only = purchase_invoice(m, 5, 200, update_stock=0)
	ret = returned("Purchase Invoice", billed_only.name, 2)
	gl = gl_by_account("Purchase Invoice", ret.name)
	assert gl[acc("Creditors")] == 400 and not {m["rule account"], acc("Stores")} & set(gl)


def test_sales_invoice_returns_with_and_without_update_stock(group_rules):
	m = group_rules
	invoice = selling("Sales Invoice", [(RM, 5, 300, m["Stores"])], update_stock=1)
	ret = returned("Sales Invoice", invoice.name, 2)
	gl = gl_by_account("Sales Invoice", ret.name)
	assert (gl[m["rule account"]], gl[acc("Cost of Goods Sold")], gl[acc("Sales")]) == (400, -400, 600)
	assert_guard_sees_each_entry(ret)
	assert_no_value_difference()

	billed_only = selling("Sales Invoice", [(RM, 5, 300, m["Stores"])], update_stock=0)
	ret = returned("Sales Invoice", billed_only.name, 2)
	gl = gl_by_account("Sales Invoice", ret.name)
	assert gl[acc("Sales")] == 600 and not {m["rule account"], acc("Stores")} & set(gl)


def pos_profile(m):
	"""The posting company's POS profile, selling from Stores with stock updated, paid in cash."""
	if not frappe.db.exists("Mode of Payment Account", {"parent": "Cash", "company": COMPANY}):
		cash = frappe.get_doc("Mode of Payment", "Cash")
		cash.append("accounts", {"company": COMPANY, "default_account": acc("Cash")})
		cash.save()
	if not frappe.db.exists("POS Profile", "PIP POS"):
		frappe.get_doc(
			{
				"doctype": "POS Profile",
				"name": "PIP POS",
				"company": COMPANY,
				"currency": "USD",
				"warehouse": m["Stores"],
				"update_stock": 1,
				"cost_center": acc("Main"),
				"write_off_account": acc("Write Off"),
				"write_off_cost_center": acc("Main"),
				"selling_price_list": "Standard Selling",
				"payments": [{"mode_of_payment": "Cash", "default": 1}],
			}
		).insert()
	return "PIP POS"


def test_a_sales_invoice_consolidated_from_pos_invoices(bundle_rules, monkeypatch):
	from erpnext.accounts.doctype.pos_invoice_merge_log.pos_invoice_merge_log import consolidate_pos_invoices

	m = bundle_rules
	add_rule(COMPANY, m["rule account"], item_group="PIP Raw Material")
	stock_entry("Material Receipt", [(RM, 10, 200, None, m["Stores"])])
	profile = pos_profile(m)
	if frappe.get_meta("POS Settings").has_field("invoice_type"):  # version-16 sells by Sales Invoice by default
		frappe.db.set_single_value("POS Settings", "invoice_type", "POS Invoice")
	frappe.get_doc(
		{
			"doctype": "POS Opening Entry",
			"pos_profile": profile,
			"user": frappe.session.user,
			"company": COMPANY,
			"period_start_date": frappe.utils.now_datetime(),
			"balance_details": [{"mode_of_payment": "Cash"}],
		}
	).submit()
	invoice = frappe.get_doc(
		{
			"doctype": "POS Invoice",
			"company": COMPANY,
			"customer": "Utah Automation Services",
			"pos_profile": profile,
			"update_stock": 1,
			"items": [
				{"item_code": BUNDLE, "qty": 1, "rate": 100, "warehouse": m["Stores"], "cost_center": acc("Main")},
				{"item_code": RM, "qty": 1, "rate": 300, "warehouse": m["Stores"], "cost_center": acc("Main")},
			],
			"payments": [{"mode_of_payment": "Cash", "amount": 400, "default": 1}],
		}
	).insert()
	invoice.submit()
	assert gl_by_account("POS Invoice", invoice.name) == {}  # a POS Invoice posts nothing itself
	monkeypatch.setattr(frappe.db, "commit", lambda: None)  # ERPNext commits the merge; the test rolls back
	consolidate_pos_invoices(pos_invoices=[frappe._dict(pos_invoice=invoice.name, customer=invoice.customer)])
	consolidated = frappe.get_doc("Sales Invoice", frappe.db.get_value("POS Invoice", invoice.name, "consolidated_invoice"))
	gl = gl_by_account("Sales Invoice", consolidated.name)
	# a part at 30 and two cables at 5 by their rules, the raw material (200) by its own
	assert (gl[m["Stock Parts"]], gl[m["Stock Cables"]], gl[m["rule account"]]) == (-30, -10, -200)
	# the cost to each row's expense account (version-16 gives a non-stock bundle item another one)
	assert sum(gl[a] for a in {row.expense_account for row in consolidated.items}) == 240
	assert acc("Stores") not in gl
	assert_balanced(consolidated)
	assert_guard_sees_each_entry(consolidated)
	assert_no_value_difference()
