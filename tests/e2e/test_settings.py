"""Perpetual Inventory Settings keeps each company's switches: saved, reloaded, still there."""

from .desk_data import COMPANY, SETTINGS_COMPANY

COLUMNS = ("company", "resolve_inventory_accounts", "posting_guard")


def reload_settings(desk):
	desk.driver.refresh()
	desk.await_form("Perpetual Inventory Settings")
	return [tuple(row[c] for c in COLUMNS) for row in desk.grid_rows("companies", COLUMNS)]


def test_settings_save_each_companys_switches(desk, desk_data):
	desk.go("perpetual-inventory-settings")
	desk.await_form("Perpetual Inventory Settings")
	desk.fill_row(
		"companies", {"company": SETTINGS_COMPANY, "resolve_inventory_accounts": 1, "posting_guard": "Log Warning"}
	)
	desk.save()
	desk.await_saved()
	rows = reload_settings(desk)
	assert rows == [(COMPANY, True, "Block Submit"), (SETTINGS_COMPANY, True, "Log Warning")]

	idx = rows.index((SETTINGS_COMPANY, True, "Log Warning")) + 1
	desk.open_row("companies", idx)
	desk.set_field("resolve_inventory_accounts", 0, "companies", idx)
	desk.close_row()
	desk.save()
	desk.await_saved()
	assert reload_settings(desk) == [(COMPANY, True, "Block Submit"), (SETTINGS_COMPANY, False, "Log Warning")]
