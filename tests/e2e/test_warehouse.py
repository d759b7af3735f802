"""Warehouses in the Desk: the "Why This Account" button, and Create Account Under."""

import uuid

from .desk_data import COMPANY, ITEM, acc


def test_why_this_account_on_a_warehouse_shows_the_rule_that_wins_for_an_item(desk, desk_data):
	desk.open_form("Warehouse", desk_data["Stores"])
	desk.click_custom_button("Why This Account")
	desk.dialog("Why This Account", showing='[data-fieldname="item"]')
	desk.set_dialog_field("item", ITEM)
	desk.click_dialog_button("Explain")
	text = desk.dialog("Why This Account", showing=".pip-account-trace").text
	assert f"{ITEM} in {desk_data['Stores']}" in text
	assert f"{desk_data['rule account']} from Rule {desk_data['group rule']}" in text
	assert f"Rule {desk_data['group rule']}: {desk_data['rule account']} ← chosen" in text
	assert f"Warehouse {desk_data['Stores']}: {acc('Stores')}" in text


def test_create_account_under_gives_the_warehouse_its_own_account_which_opens(desk, desk_data):
	name = f"Desk Bay {uuid.uuid4().hex[:8]}"
	warehouse = account = f"{name} - PDC"  # the account is named after the warehouse
	desk.new_form("Warehouse", company=COMPANY)
	desk.set_field("warehouse_name", name)
	desk.set_field("create_account_under", acc("Stock Assets"))
	desk.save()
	assert desk.await_saved() == warehouse
	assert f"Account {account} created under {acc('Stock Assets')} and linked to warehouse {warehouse}" in desk.toast(
		"created under"
	)
	assert desk.shown("account") == account

	desk.click_link("account")
	assert desk.await_form("Account", account) == account
	assert desk.title() == account
	assert desk.shown("parent_account") == acc("Stock Assets")
	assert desk.shown("account_type") == "Stock"
	assert desk.shown("company") == COMPANY
