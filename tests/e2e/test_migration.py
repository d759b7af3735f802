"""The migration in the Desk: for a periodic company the plan is shown before anything changes,
a blocker stops it, and once the blocker is gone, submitting executes it and links its journal
entries.

The figures follow from the company's one receipt (desk_data.periodic_setup): 10 x 200 into
Stores, 4 billed, so stock worth 2,000 with no GL behind it and 6 x 200 received, not billed."""

# ruff: noqa: E402  (the layer skips itself before importing frappe)
from .availability import require

require()

import frappe
import pytest
from frappe.utils import add_days, nowdate

from .conftest import ARTIFACTS
from .desk import amount
from .desk_data import MIGRATION, PA, PERIODIC_COMPANY

QTY, RATE, BILLED = 10, 200, 4
STOCK = QTY * RATE
OPEN = (QTY - BILLED) * RATE


def acc(name: str) -> str:
	return f"{name} - {PA}"


def amounts(rows, *fields):
	return [tuple(amount(row[f]) if f in fields else row[f] for f in row) for row in rows]


def fresh():
	"""What the site holds now, read in a new transaction (the Desk's server wrote it)."""
	frappe.db.rollback()
	return frappe._dict(
		perpetual=frappe.db.get_value("Company", PERIODIC_COMPANY, "enable_perpetual_inventory"),
		journals=frappe.db.count("Journal Entry", {"company": PERIODIC_COMPANY, "docstatus": 1}),
		gl=frappe.db.count("GL Entry", {"company": PERIODIC_COMPANY, "is_cancelled": 0}),
	)


@pytest.fixture(scope="module")
def migration(desk, desk_data):
	"""A new migration saved with a cutover in the future; the tests below go on from there in
	order, as a user does: see the blocker, fix the date, read the plan, submit."""
	before = fresh()
	desk.new_form(MIGRATION, company=PERIODIC_COMPANY)
	desk.set_field("cutover_date", add_days(nowdate(), 1))
	desk.save()
	return frappe._dict(name=desk.await_saved(), before=before, receipt=desk_data["periodic"]["receipt"])


def test_a_blocker_is_shown_and_nothing_changes(desk, migration):
	desk.open_form(MIGRATION, migration.name)
	assert desk.intro() == ("Blocked: resolve every blocker below, then save again.", "red")
	tomorrow = add_days(nowdate(), 1)
	desk.scroll_to("blockers")
	assert f"The cutover {tomorrow} is in the future; choose today ({nowdate()}) or an earlier date" in desk.shown(
		"blockers"
	)
	desk.primary_action("Submit")  # a user who submits anyway is stopped, with every blocker listed
	desk.click_dialog_button("Yes")
	message = desk.dialog("Migration Blocked").find_element("css selector", ".msgprint").text
	assert f"Migration of {PERIODIC_COMPANY} to perpetual inventory is blocked:" in message
	assert f"The cutover {tomorrow} is in the future" in message
	desk.close_dialog()
	assert desk.doc_value("docstatus") == 0
	after = fresh()
	assert after == migration.before and not after.perpetual


def test_with_the_cutover_fixed_the_plan_shows_defaults_warehouses_accounts_receipts_and_journal_lines(desk, migration):
	desk.open_form(MIGRATION, migration.name)
	desk.set_field("cutover_date", add_days(nowdate(), -1))
	desk.save()
	desk.await_saved()
	assert desk.intro() == ("Plan ready. Submit to execute it in one transaction.", "blue")
	defaults = {row["label"]: row for row in desk.grid_rows("defaults", ("label", "current_value", "value", "action"))}
	assert defaults["Default Inventory Account"]["value"] == acc("Stock In Hand")
	assert defaults["Stock Received But Not Billed"]["value"] == acc("Stock Received But Not Billed")
	assert defaults["Stock Adjustment Account"]["value"] == acc("Stock Adjustment")
	assert all(row["action"] in ("Keep", "Set") for row in defaults.values())

	assert amounts(desk.grid_rows("warehouses", ("warehouse", "account", "items", "stock_value")), "stock_value") == [
		(f"Stores - {PA}", acc("Stock In Hand"), "1", STOCK)
	]
	accounts = desk.grid_rows("stock_accounts", ("account", "stock_value", "gl_balance", "difference"))
	assert amounts(accounts, "stock_value", "gl_balance", "difference") == [(acc("Stock In Hand"), STOCK, 0, STOCK)]
	receipts = desk.grid_rows("receipts", ("purchase_receipt", "received_value", "billed_value", "open_value"))
	assert amounts(receipts, "received_value", "billed_value", "open_value") == [
		(migration.receipt, STOCK, BILLED * RATE, OPEN)
	]
	desk.scroll_to("journal_lines")
	lines = desk.grid_rows("journal_lines", ("journal", "account", "debit", "credit"))
	assert amounts(lines, "debit", "credit") == [
		("Stock Sync", acc("Stock In Hand"), STOCK, 0),
		("Stock Sync", acc("Stock Adjustment"), 0, STOCK),
		("SRBNB Opening", acc("Stock Received But Not Billed"), 0, OPEN),
		("SRBNB Opening", acc("Stock Adjustment"), OPEN, 0),
	]
	assert not desk.is_shown("blockers")
	assert fresh() == migration.before  # a plan, still nothing done


def test_submit_executes_in_the_background_showing_its_progress_and_links_the_journal_entries(desk, migration):
	desk.open_form(MIGRATION, migration.name)
	desk.submit()
	# The execute runs in the layer's worker; the form follows it step by step.
	assert desk.intro() == ("Executing in the background: nothing changes until every step is done.", "blue")
	seen = []
	while not any(step.startswith("Stock Received But Not Billed journal") for _p, step in seen):
		state = desk.progress("Executing")
		if state not in seen:
			seen.append(state)
	desk.driver.save_screenshot(str(ARTIFACTS / "migration-progress.png"))
	assert len(seen) >= 3 and all(0 <= percent < 100 and step for percent, step in seen), seen
	assert [percent for percent, _s in seen] == sorted(percent for percent, _s in seen), seen
	assert ("Stock sync journal: 2 lines" in [step for _p, step in seen]), seen
	assert desk.wait_for_intro("Executed: the company uses perpetual inventory from the cutover on.", timeout=120)[1] == "green"
	assert desk.doc_value("status") == "Executed"
	desk.scroll_to("execution_log")
	assert "perpetual inventory switched on" in desk.shown("execution_log")
	sync = desk.shown("sync_journal_entry")
	after = fresh()
	assert after.perpetual and after.journals == migration.before.journals + 2

	desk.open_shown_link("srbnb_journal_entry")
	journal = desk.await_form("Journal Entry")
	assert desk.doc_value("docstatus") == 1  # ERPNext's indicator shows the entry type, not the status
	rows = desk.grid_rows("accounts", ("account", "debit_in_account_currency", "credit_in_account_currency"))
	assert sorted(amounts(rows, "debit_in_account_currency", "credit_in_account_currency")) == [
		(acc("Stock Adjustment"), OPEN, 0),
		(acc("Stock Received But Not Billed"), 0, OPEN),
	]
	recorded = frappe.db.get_value(MIGRATION, migration.name, ["sync_journal_entry", "srbnb_journal_entry"], as_dict=True)
	assert (recorded.sync_journal_entry, recorded.srbnb_journal_entry) == (sync, journal)
