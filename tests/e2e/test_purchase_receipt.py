"""Seed 002's receipt entered in the Desk: 10 x 200 into Stores with Shipping 100 and Customs 150
as valuation charges (valuation rate 225). A rule routes the item's group to Raw Material Stock,
so the 2,250 lands there instead of on Stores' own account."""

import pytest

from .desk import amount
from .desk_data import COMPANY, ITEM, SUPPLIER, acc


@pytest.fixture(scope="module")
def receipt(desk, desk_data):
	"""A Purchase Receipt filled in, saved and submitted through the form."""
	# as from the list filtered on the company: the user's default company's taxes never come in
	desk.new_form("Purchase Receipt", company=COMPANY)
	assert desk.doc_value("company") == COMPANY
	desk.set_field("supplier", SUPPLIER)
	desk.fill_row("items", {"item_code": ITEM, "qty": 10, "rate": 200, "warehouse": desk_data["Stores"]})
	for account, charge in (("Shipping Charges", 100), ("Customs Duty", 150)):
		desk.fill_row(
			"taxes",
			{
				"category": "Valuation",
				"add_deduct_tax": "Add",
				"charge_type": "Actual",
				"account_head": acc(account),
				"tax_amount": charge,
			},
		)
	desk.save()
	name = desk.await_saved()
	desk.submit()
	return name


def test_submitted_receipt_posts_the_rule_account_in_the_accounting_ledger(desk, desk_data, receipt):
	desk.open_form("Purchase Receipt", receipt)
	assert desk.indicator() == "To Bill"
	desk.click_custom_button("Accounting Ledger", group="View")
	# the ledger renders once before its filters from the receipt apply
	rows = desk.await_report_rows(
		lambda rows: any(row.get("Voucher No") == receipt for row in rows), f"the ledger does not show {receipt}"
	)
	posted = {
		row["Account"]: (amount(row["Debit (USD)"]), amount(row["Credit (USD)"]))
		for row in rows
		if row.get("Voucher No") == receipt
	}
	assert posted == {
		desk_data["rule account"]: (2250, 0),
		acc("Stock Received But Not Billed"): (0, 2000),
		acc("Shipping Charges"): (0, 100),
		acc("Customs Duty"): (0, 150),
	}
	assert desk_data["Stores"] not in posted  # the warehouse's own account got nothing


def test_why_this_account_on_the_receipt_names_the_winning_rule(desk, desk_data, receipt):
	desk.open_form("Purchase Receipt", receipt)
	desk.click_custom_button("Why This Account", group="View")
	text = desk.dialog("Why This Account").text
	assert f"Row 1 (warehouse) {ITEM} in {desk_data['Stores']}" in text
	assert f"{desk_data['rule account']} from Rule {desk_data['group rule']}" in text
	assert f"Rule {desk_data['group rule']}: {desk_data['rule account']} ← chosen" in text
	assert f"Warehouse {desk_data['Stores']}: {acc('Stores')}" in text
