"""Issue 4 on a real site: a company with periodic history moves to perpetual inventory."""

import subprocess
import sys

import frappe
import pytest
from frappe.utils import add_days, flt, getdate, nowdate

from perpetual_inventory_plus.migration.job import execute_again
from perpetual_inventory_plus.migration.job import run as run_job
from perpetual_inventory_plus.migration.plan import company_default_fields, compute_plan
from perpetual_inventory_plus.migration.command import run as run_command

from . import periodic_history as history
from .conftest import BENCH, SITE
from .factory import submit_and_execute
from .periodic_history import A, COMPANY, ITEM_A, ITEM_B, acc

MIGRATION = "Perpetual Inventory Migration"


@pytest.fixture(scope="module")
def periodic(site):
	return history.setup()


@pytest.fixture(autouse=True)
def no_commit(monkeypatch):
	"""Code that commits (the execute's job, the bench command, the patch) stays inside the test's
	transaction."""
	monkeypatch.setattr(frappe.db, "commit", lambda *a, **k: None)


def receipts_in_order():
	return frappe.get_all(
		"Purchase Receipt", {"company": COMPANY, "is_return": 0, "docstatus": 1}, pluck="name", order_by="posting_date"
	)


def new_migration(periodic, **fields):
	return frappe.get_doc(
		{
			"doctype": MIGRATION,
			"company": COMPANY,
			"cutover_date": periodic.cutover,
			"default_inventory_account": acc("Stock In Hand"),
			**fields,
		}
	)


def site_state():
	"""What a migration may change: row counts, and the company's switch and defaults."""
	counts = {dt: frappe.db.count(dt) for dt in ("GL Entry", "Journal Entry", "Account", "Warehouse", MIGRATION)}
	company = frappe.db.get_value(
		"Company",
		COMPANY,
		["enable_perpetual_inventory", *[f for f, _l, _t in company_default_fields()]],
		as_dict=True,
	)
	warehouses = frappe.get_all("Warehouse", {"company": COMPANY}, ["name", "account"], order_by="name")
	return counts, company, warehouses


def balance(account, on=None):
	return flt(
		frappe.db.sql(
			"""select sum(debit) - sum(credit) from `tabGL Entry`
			where account = %s and is_cancelled = 0 and posting_date <= %s""",
			(account, on or nowdate()),
		)[0][0],
		2,
	)


def stock_value_by_account(on):
	"""Stock value per inventory account straight from the stock ledger and the warehouse links
	as they are after the migration (Stores through the company default)."""
	value = {}
	for wh, v in frappe.db.sql(
		"""select warehouse, sum(stock_value_difference) from `tabStock Ledger Entry`
		where company = %s and is_cancelled = 0 and posting_date <= %s group by warehouse""",
		(COMPANY, on),
	):
		account = {
			f"Stores - {A}": acc("Stock In Hand"),
			f"Periodic East - {A}": acc("East Stock"),
			f"Periodic North - {A}": acc("Region Stock"),
		}[wh]
		value[account] = flt(value.get(account, 0) + flt(v), 2)
	return value


def test_the_plan_equals_the_figures_worked_out_from_the_documents(periodic):
	before = site_state()
	plan = compute_plan(COMPANY, periodic.cutover, chosen={"default_inventory_account": acc("Stock In Hand")})
	assert site_state() == before
	assert plan.blockers == ()

	expected = {
		"default_inventory_account": ("Set", acc("Stock In Hand")),  # chosen: three Stock ledgers to pick from
		"stock_received_but_not_billed": ("Set", acc("Stock Received But Not Billed")),
		"stock_adjustment_account": ("Set", acc("Stock Adjustment")),
		"expenses_included_in_valuation": ("Set", acc("Expenses Included In Valuation")),
		"cost_center": ("Keep", acc("Main")),
	}
	fields = {f for f, _l, _t in company_default_fields()}  # version-16 has no Expenses Included In Valuation
	assert {d.fieldname: (d.action, d.value) for d in plan.defaults} == {f: v for f, v in expected.items() if f in fields}
	assert {(w.warehouse, w.account, w.source) for w in plan.warehouses} == {
		(f"Stores - {A}", acc("Stock In Hand"), "Company Default"),
		(f"Periodic East - {A}", acc("East Stock"), "Warehouse"),
		(f"Periodic North - {A}", acc("Region Stock"), "Parent Warehouse"),
	}
	assert {a.account: (a.stock_value, a.gl_balance, a.difference) for a in plan.accounts} == {
		account: (value, history.GL_BEFORE.get(account, 0), value - history.GL_BEFORE.get(account, 0))
		for account, value in history.STOCK_VALUE.items()
	}
	sync = {(line.account, line.debit, line.credit) for line in plan.sync_lines}
	total = sum(history.STOCK_VALUE.values()) - sum(history.GL_BEFORE.values())
	assert sync == {
		(acc("Stock In Hand"), 1400 - 500, 0),
		(acc("East Stock"), 1700, 0),
		(acc("Region Stock"), 1240, 0),
		(acc("Stock Adjustment"), 0, total),
	}

	_pr1, pr2, pr3, pr4 = receipts_in_order()
	assert {r.receipt: r.open_value for r in plan.receipts} == {
		pr2: history.RECEIVED_NOT_BILLED["PR2"],
		pr3: history.RECEIVED_NOT_BILLED["PR3"],
		pr4: history.RECEIVED_NOT_BILLED["PR4"],
	}
	opened = sum(history.RECEIVED_NOT_BILLED.values())
	assert sorted((line.account, line.debit, line.credit) for line in plan.srbnb_lines) == sorted(
		[(acc("Stock Received But Not Billed"), 0, v) for v in history.RECEIVED_NOT_BILLED.values()]
		+ [(acc("Stock Adjustment"), opened, 0)]
	)


def test_the_bench_command_dry_run_prints_the_plan_and_writes_nothing(periodic):
	frappe.db.rollback()  # read the state the command's own connection sees
	before = site_state()
	result = subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", SITE, "migrate-to-perpetual",
		 "--company", COMPANY, "--cutover", str(periodic.cutover)],
		cwd=BENCH / "sites",
		capture_output=True,
		text=True,
		timeout=300,
	)
	frappe.db.rollback()
	assert site_state() == before
	# No Default Inventory Account and three Stock ledgers: the command cannot choose for the user.
	assert result.returncode == 1, result.stdout + result.stderr
	assert "Default Inventory Account: the company has none and no single candidate" in result.stdout
	assert f"{acc('East Stock')}: 1,700.00 / 0.00 / 1,700.00" in result.stdout
	assert "Blocked: nothing was changed." in result.stdout


def test_no_default_inventory_account_is_asked_for_when_every_warehouse_with_stock_has_an_account(periodic):
	# Stores, the one warehouse with stock and no account up its tree, gets one
	frappe.db.set_value("Warehouse", periodic.warehouses["Stores"], "account", acc("Stock In Hand"))
	plan = compute_plan(COMPANY, periodic.cutover)
	default = next(d for d in plan.defaults if d.fieldname == "default_inventory_account")
	assert (default.action, default.value) == ("Keep", None)
	assert not [b for b in plan.blockers if "Default Inventory Account" in b]


def test_the_bench_command_executes_with_the_default_the_user_chose(periodic, capsys):
	chosen = {"default_inventory_account": acc("Stock In Hand")}
	assert run_command(COMPANY, str(periodic.cutover), None, True, chosen) == 0
	out = capsys.readouterr().out
	done = frappe.get_last_doc(MIGRATION, {"company": COMPANY})
	assert done.status == "Executed" and done.default_inventory_account == acc("Stock In Hand")
	assert f"Executed {done.name}:" in out
	assert f"Stock sync journal entry: {done.sync_journal_entry}" in out
	assert balance(acc("Stock In Hand"), periodic.cutover) == history.STOCK_VALUE[acc("Stock In Hand")]


def test_execute_syncs_stock_opens_srbnb_and_switches_the_company_on(periodic):
	doc = submit_and_execute(new_migration(periodic).insert())
	cutover = getdate(periodic.cutover)

	assert doc.status == "Executed"
	assert frappe.db.get_value("Company", COMPANY, "enable_perpetual_inventory") == 1
	assert frappe.db.get_value("Company", COMPANY, "default_inventory_account") == acc("Stock In Hand")
	for je in (doc.sync_journal_entry, doc.srbnb_journal_entry):
		assert frappe.db.get_value("Journal Entry", je, ["docstatus", "posting_date"]) == (1, cutover)
	assert "perpetual inventory switched on" in doc.execution_log

	# As of the cutover every inventory account's GL equals its stock value.
	stock = stock_value_by_account(cutover)
	assert stock == history.STOCK_VALUE
	for account, value in stock.items():
		assert balance(account, cutover) == value
	srbnb = acc("Stock Received But Not Billed")
	assert balance(srbnb, cutover) == -sum(history.RECEIVED_NOT_BILLED.values())

	# After the cutover the company posts perpetual GL (seed 002's receipt, invoice and delivery).
	from erpnext.stock.doctype.purchase_receipt.purchase_receipt import make_purchase_invoice

	pr = history.receipt(nowdate(), [(ITEM_A, 10, 200, f"Stores - {A}")])
	assert gl(pr) == {acc("Stock In Hand"): 2000, srbnb: -2000}
	pi = history.invoice(make_purchase_invoice(pr.name), nowdate())
	assert gl(pi) == {srbnb: 2000, acc("Creditors"): -2000}
	dn = frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": COMPANY,
			"customer": history.CUSTOMER,
			"currency": "USD",
			"selling_price_list": "Standard Selling",
			"items": [{"item_code": ITEM_B, "qty": 1, "rate": 400, "warehouse": f"Periodic East - {A}", "cost_center": acc("Main")}],
		}
	).insert()
	dn.submit()
	assert gl(dn) == {acc("East Stock"): -300, acc("Cost of Goods Sold"): 300}

	# A later invoice for a receipt from before the cutover clears that receipt's opening.
	_pr1, _pr2, pr3, _pr4 = receipts_in_order()[:4]
	old = history.invoice(make_purchase_invoice(pr3), nowdate())
	assert gl(old) == {srbnb: 1000, acc("Creditors"): -1000}
	assert balance(srbnb) == -(history.RECEIVED_NOT_BILLED["PR2"] + history.RECEIVED_NOT_BILLED["PR4"])

	# ERPNext's own check: no voucher after the cutover differs between stock and account value.
	from erpnext.stock.report.stock_and_account_value_comparison.stock_and_account_value_comparison import execute

	_columns, rows = execute(frappe._dict(company=COMPANY, as_on_date=nowdate()))
	assert [r for r in rows if getdate(r["posting_date"]) > cutover] == []
	assert all(getdate(r["posting_date"]) <= cutover for r in rows)  # periodic vouchers stay listed, as ERPNext does


def gl(doc):
	from .stock_documents import gl_by_account

	return gl_by_account(doc.doctype, doc.name)


def test_a_second_execute_changes_nothing_and_says_so(periodic, capsys):
	submit_and_execute(new_migration(periodic).insert())
	before = site_state()
	with pytest.raises(frappe.ValidationError, match="already moved to perpetual inventory"):
		new_migration(periodic).insert().submit()
	assert run_command(COMPANY, str(periodic.cutover), None, True) == 0
	assert "already moved to perpetual inventory" in capsys.readouterr().out
	assert site_state()[1:] == before[1:]


def test_a_failure_in_a_later_step_leaves_the_site_as_before_and_the_migration_failed(periodic):
	doc = new_migration(periodic).insert()
	# The Stock Received But Not Billed journal comes after the defaults, the warehouse accounts
	# and the sync journal; a frozen account makes it fail.
	frappe.db.set_value("Account", acc("Stock Received But Not Billed"), "freeze_account", "Yes")
	frappe.clear_document_cache("Account", acc("Stock Received But Not Billed"))
	before = site_state()
	doc.submit()
	assert frappe.db.get_value(MIGRATION, doc.name, "status") == "Queued"
	steps = []
	assert run_job(doc.name, progress=lambda percent, what: steps.append((percent, what))) == "Failed"

	doc.reload()
	assert doc.status == "Failed"
	assert doc.execution_log.startswith("Nothing was changed: ") and "is frozen" in doc.execution_log
	assert site_state() == before
	import erpnext

	assert not erpnext.is_perpetual_inventory_enabled(COMPANY)
	# It got as far as the Stock Received But Not Billed journal, after the sync journal was made.
	assert [what for _p, what in steps][-2:] == ["Stock sync journal: 4 lines", "Stock Received But Not Billed journal: 4 lines"]
	assert [p for p, _w in steps] == sorted(p for p, _w in steps)
	assert not frappe.get_all("Journal Entry", {"user_remark": ("like", f"{doc.name}:%")})

	# Put right, the same migration executes when asked again.
	frappe.db.set_value("Account", acc("Stock Received But Not Billed"), "freeze_account", "No")
	frappe.clear_document_cache("Account", acc("Stock Received But Not Billed"))
	execute_again(doc.name)
	assert frappe.db.get_value(MIGRATION, doc.name, "status") == "Queued"
	assert run_job(doc.name) == "Executed"
	assert frappe.db.get_value("Company", COMPANY, "enable_perpetual_inventory") == 1


def test_a_second_migration_of_the_company_is_refused_while_one_is_under_way(periodic):
	from perpetual_inventory_plus.migration import job

	first = new_migration(periodic).insert()
	first.submit()
	# The worker holds the company's lock while it runs; this connection takes it in its place.
	assert job._lock(COMPANY)
	try:
		with pytest.raises(frappe.ValidationError, match=f"Migration <strong>{first.name}</strong> of company {COMPANY} is queued"):
			new_migration(periodic).insert().submit()
		frappe.db.set_value(MIGRATION, first.name, "status", "Running")
		with pytest.raises(frappe.ValidationError, match=f"Migration <strong>{first.name}</strong> of company {COMPANY} is running"):
			new_migration(periodic).insert().submit()
		assert job.execution_status(first.name)["status"] == "Running"
	finally:
		job._unlock(COMPANY)

	# Without its worker's lock a Running execute has stopped, and a queued one whose job left
	# the queue never ran: each is Failed when next looked at, and the company free again.
	assert job.execution_status(first.name)["status"] == "Failed"
	assert "its worker ended" in frappe.db.get_value(MIGRATION, first.name, "execution_log")
	second = new_migration(periodic).insert()
	second.submit()
	assert job.execution_status(second.name)["status"] == "Failed"
	assert "left the queue without running" in frappe.db.get_value(MIGRATION, second.name, "execution_log")
	assert frappe.db.get_value("Company", COMPANY, "enable_perpetual_inventory") == 0


def test_an_execute_refuses_figures_that_changed_since_the_plan_was_shown(periodic):
	doc = new_migration(periodic).insert()
	doc.submit()
	before = site_state()
	# A receipt dated before the cutover, entered after the plan was shown.
	history.receipt(add_days(periodic.cutover, -1), [(ITEM_B, 1, 100, f"Stores - {A}")])
	assert run_job(doc.name) == "Failed"
	assert "changed since its plan was shown" in frappe.db.get_value(MIGRATION, doc.name, "execution_log")
	assert site_state()[1:] == before[1:]


def test_blockers_stop_execute_and_are_listed(periodic):
	early = new_migration(periodic, cutover_date=add_days(periodic.cutover, -8)).insert()
	assert "stock ledger entries are dated after the cutover" in early.blockers

	doc = new_migration(periodic, default_inventory_account=None).insert()
	blockers = doc.blockers.split("\n")
	assert len(blockers) == 2
	assert blockers[0].startswith("Default Inventory Account: the company has none and no single candidate")
	assert blockers[1].startswith(f"Warehouse Stores - {A} resolves to no inventory account for 2 item(s)")
	before = site_state()
	with pytest.raises(frappe.ValidationError) as raised:
		doc.submit()
	for blocker in blockers:
		assert frappe.utils.escape_html(blocker) in str(raised.value)
	frappe.db.rollback()
	assert frappe.db.get_value("Company", COMPANY, "enable_perpetual_inventory") == 0
	assert before[1] == site_state()[1]


def test_stock_up_to_the_cutover_is_frozen_after_the_migration(periodic):
	submit_and_execute(new_migration(periodic).insert())
	late = history.receipt(periodic.cutover, [(ITEM_B, 1, 100, f"Stores - {A}")], submit=False)
	with pytest.raises(frappe.ValidationError, match="are frozen"):
		late.submit()
	delivery = frappe.get_last_doc("Delivery Note", {"company": COMPANY, "docstatus": 1})
	with pytest.raises(frappe.ValidationError, match="are frozen"):
		delivery.cancel()
	after = history.receipt(add_days(periodic.cutover, 1), [(ITEM_B, 1, 100, f"Stores - {A}")])
	assert after.docstatus == 1


def test_a_migration_approved_for_the_next_migrate_runs_there_and_only_it(periodic):
	other = history.setup_other_periodic_company()
	approved = new_migration(periodic, execute_on="At Next Bench Migrate").insert()
	approved.submit()
	assert frappe.db.get_value(MIGRATION, approved.name, "status") == "Approved"
	assert frappe.db.get_value("Company", COMPANY, "enable_perpetual_inventory") == 0
	draft = frappe.get_doc({"doctype": MIGRATION, "company": other, "cutover_date": nowdate()}).insert()

	from perpetual_inventory_plus.patches.v1_0 import execute_approved_migrations

	execute_approved_migrations.execute()
	assert frappe.db.get_value(MIGRATION, approved.name, "status") == "Executed"
	assert frappe.db.get_value("Company", COMPANY, "enable_perpetual_inventory") == 1
	assert frappe.db.get_value(MIGRATION, draft.name, "status") == "Draft"
	assert frappe.db.get_value("Company", other, "enable_perpetual_inventory") == 0
	assert "perpetual_inventory_plus.patches.v1_0.execute_approved_migrations" in open(
		frappe.get_app_path("perpetual_inventory_plus", "patches.txt")
	).read()
	assert "perpetual_inventory_plus.migration.job.run_approved" in frappe.get_hooks("after_migrate")


def test_only_system_and_accounts_managers_may_migrate(periodic):
	from .factory import ensure_user

	for roles, allowed in ((["Stock Manager", "Accounts User"], False), (["Accounts Manager"], True)):
		user = ensure_user(f"pip-migrate-{'yes' if allowed else 'no'}@example.com", roles)
		for ptype in ("create", "submit"):
			assert frappe.has_permission(MIGRATION, ptype, user=user) is allowed


def test_the_plan_and_the_sync_follow_rules_and_create_account_under(periodic):
	from .factory import add_rule, enable_app_for, ensure_account

	# The app resolves this company's accounts: a rule sends item B in East to its own account,
	# and North gets an account of its own under Stock Assets when the migration executes.
	enable_app_for(COMPANY)
	rule_account = ensure_account(COMPANY, "Periodic B Stock", acc("Stock Assets"))
	add_rule(COMPANY, rule_account, item=ITEM_B, warehouse=f"Periodic East - {A}")
	frappe.db.set_value("Warehouse", f"Periodic North - {A}", "create_account_under", acc("Stock Assets"))

	doc = new_migration(periodic).insert()
	assert {(w.warehouse, w.account, w.resolved_by, w.stock_value) for w in doc.warehouses} == {
		(f"Stores - {A}", acc("Stock In Hand"), "Company Default", 1400),
		(f"Periodic East - {A}", acc("East Stock"), "Warehouse", 200),  # item A, transferred in
		(f"Periodic East - {A}", rule_account, "Rule", 1500),  # item B: 5 x 300
		(f"Periodic North - {A}", acc("Periodic North"), "Create Account Under", 1240),
	}
	assert not frappe.db.exists("Account", acc("Periodic North"))

	submit_and_execute(doc)
	assert frappe.db.get_value("Warehouse", f"Periodic North - {A}", "account") == acc("Periodic North")
	assert gl(frappe.get_doc("Journal Entry", doc.sync_journal_entry)) == {
		acc("Stock In Hand"): 900,
		acc("East Stock"): 200,
		rule_account: 1500,
		acc("Periodic North"): 1240,
		acc("Stock Adjustment"): -3840,
	}
	assert f"account {acc('Periodic North')} created for warehouse Periodic North - {A}" in doc.execution_log


def test_a_repost_or_landed_cost_reaching_before_the_cutover_is_refused(periodic):
	submit_and_execute(new_migration(periodic).insert())
	_pr1, pr2, *_rest = receipts_in_order()
	repost = frappe.get_doc(
		{
			"doctype": "Repost Item Valuation",
			"based_on": "Transaction",
			"voucher_type": "Purchase Receipt",
			"voucher_no": pr2,
			"company": COMPANY,
			"posting_date": frappe.db.get_value("Purchase Receipt", pr2, "posting_date"),
		}
	)
	with pytest.raises(frappe.ValidationError, match="are frozen"):
		repost.insert()
	lcv = frappe.get_doc(
		{
			"doctype": "Landed Cost Voucher",
			"company": COMPANY,
			"distribute_charges_based_on": "Qty",
			"purchase_receipts": [{"receipt_document_type": "Purchase Receipt", "receipt_document": pr2}],
			"taxes": [{"description": "Freight", "expense_account": acc("Expenses Included In Valuation"), "amount": 50}],
		}
	)
	lcv.get_items_from_purchase_receipts()
	lcv.insert()
	with pytest.raises(frappe.ValidationError, match="are frozen"):
		lcv.submit()
