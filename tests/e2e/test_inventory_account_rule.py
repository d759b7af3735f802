"""An Inventory Account Rule created in the Desk, and a second one that ties with it refused with
a message naming both."""

import re

from .desk_data import COMPANY, DESK_RULE_NOTE, ITEM


def new_rule(desk, desk_data):
	desk.new_form("Inventory Account Rule", company=COMPANY)
	desk.set_field("account", desk_data["desk rule account"])
	desk.set_field("item", ITEM)
	desk.set_field("warehouse", desk_data["Work In Progress"])
	desk.set_field("description", DESK_RULE_NOTE)
	desk.save()


def test_a_rule_saved_in_the_desk_and_a_tying_rule_refused_naming_both(desk, desk_data):
	new_rule(desk, desk_data)
	first = desk.await_saved()
	assert re.fullmatch(r"IAR-\d{5}", first)
	assert desk.title() == first
	assert desk.shown("account") == desk_data["desk rule account"]

	new_rule(desk, desk_data)
	message = desk.dialog("Tying Inventory Account Rules").find_element("css selector", ".msgprint").text
	tie = re.fullmatch(
		rf"Inventory Account Rule (IAR-\d{{5}}) ties with {first}: both apply to item {ITEM} in warehouse "
		rf"{re.escape(desk_data['Work In Progress'])}, so neither is more specific\. Change or disable one of them\.",
		message,
	)
	assert tie and tie.group(1) != first, message
	assert desk.js("return cur_frm.is_new()") and desk.indicator() == "Not Saved"
