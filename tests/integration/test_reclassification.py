"""Issue 13 on a real site: every change of where stock is accounted moves the stock on hand with
it, in an Inventory Reclassification; a change made without one is refused; stock before a
reclassification is frozen; each inventory account's GL balance equals the stock value of the
pairs that resolve to it, checked against the stock ledger directly and by the report."""

from collections import defaultdict

import frappe
import pytest
from frappe.utils import add_days, flt, nowdate

from perpetual_inventory_plus.accounts.core import resolve
from perpetual_inventory_plus.accounts.facts import load_company_facts

from .factory import add_rule, enable_app_for, ensure_account, ensure_user, ensure_warehouse
from .stock_documents import COMPANY, A, acc, gl_by_account, purchase_receipt, selling, stock_entry

RM, FG, METAL = "PIP-RM0001", "PIP-DESKTOP", "PIP-MA-001"  # PIP Metals (under PIP Raw Material), PIP Products, PIP Metals
STORES = f"Stores - {A}"


@pytest.fixture(scope="module")
def accounts(posting):
	"""The issue's accounts and a warehouse tree whose leaf inherits its parent's account."""
	stock_assets = f"Stock Assets - {A}"
	found = {name: ensure_account(COMPANY, name, stock_assets) for name in ("Stock RM", "Stock RM 2", "Stores New", "Bay A", "Bay B", "Default Two")}
	found["Disabled Stock"] = ensure_account(COMPANY, "Disabled Stock", stock_assets)
	frappe.db.set_value("Account", found["Disabled Stock"], "disabled", 1)
	found["Bay A wh"] = ensure_warehouse(COMPANY, "PIP Bay A", account=found["Bay A"], is_group=1)
	found["Bay B wh"] = ensure_warehouse(COMPANY, "PIP Bay B", account=found["Bay B"], is_group=1)
	found["Bin"] = ensure_warehouse(COMPANY, "PIP Bin 1", parent=found["Bay A wh"])
	frappe.db.commit()
	return found


@pytest.fixture
def stocked(accounts):
	"""The issue's scenario: 10 x RM-1 at 100 and 5 x FG-1 at 50 received into Stores."""
	enable_app_for(COMPANY)
	stock_entry("Material Receipt", [(RM, 10, 100, None, STORES), (FG, 5, 50, None, STORES)])
	assert balance(acc("Stores")) == 1250
	return accounts


def balance(account):
	return flt(
		frappe.db.sql(
			"select sum(debit) - sum(credit) from `tabGL Entry` where account = %s and is_cancelled = 0", account
		)[0][0],
		2,
	)


def assert_invariant():
	"""Each inventory account's GL balance equals the stock value of the pairs resolving to it,
	from the stock ledger and the GL directly; and the report shows no difference."""
	pairs = frappe.db.sql(
		"""select item_code, warehouse, sum(stock_value_difference) from `tabStock Ledger Entry`
		where company = %s and is_cancelled = 0 group by item_code, warehouse""",
		COMPANY,
	)
	facts = load_company_facts(COMPANY, {p[0] for p in pairs}, item_groups=True)
	stock = defaultdict(float)
	for item, warehouse, value in pairs:
		stock[resolve(facts, item, warehouse).account] += flt(value)
	gl = dict(
		frappe.db.sql(
			"""select gle.account, sum(gle.debit - gle.credit) from `tabGL Entry` gle join `tabAccount` a on a.name = gle.account
			where gle.company = %s and gle.is_cancelled = 0 and a.account_type = 'Stock' group by gle.account""",
			COMPANY,
		)
	)
	for account in set(stock) | set(gl):
		assert flt(gl.get(account), 2) == flt(stock.get(account), 2), account

	from perpetual_inventory_plus.perpetual_inventory_plus.report.inventory_account_balance.inventory_account_balance import execute

	_columns, rows, _message, _chart, summary = execute({"company": COMPANY})
	assert [r for r in rows if r.get("difference")] == []
	assert summary[2]["value"] == 0
	assert summary[0]["value"] == flt(sum(stock.values()), 2)


def reclassify(change, submit=True, **fields):
	doc = frappe.get_doc({"doctype": "Inventory Reclassification", "company": COMPANY, "change": change, **fields}).insert()
	if submit:
		doc.submit()
	return doc


def moves(doc):
	return [(m.item_code, m.warehouse, m.qty, m.value, m.from_account, m.to_account) for m in doc.moves]


def test_the_issues_scenario_done_the_readme_way(stocked):
	rm = stocked["Stock RM"]
	with pytest.raises(frappe.ValidationError) as refused:
		add_rule(COMPANY, rm, item_group="PIP Raw Material")  # the plain API, without a reclassification
	message = str(refused.value)
	assert acc("Stores") in message and rm in message and "1,000.00" in message
	assert not frappe.db.exists("Inventory Account Rule", {"company": COMPANY})
	assert balance(acc("Stores")) == 1250 and balance(rm) == 0

	doc = reclassify("Inventory Account Rule", submit=False, rule_action="Add", rule_account=rm, rule_item_group="PIP Raw Material")
	assert moves(doc) == [(RM, STORES, 10, 1000, acc("Stores"), rm)]  # the preview, before anything posts
	assert not frappe.db.exists("Inventory Account Rule", {"company": COMPANY}) and balance(rm) == 0
	doc.submit()
	assert gl_by_account("Inventory Reclassification", doc.name) == {rm: 1000, acc("Stores"): -1000}
	assert frappe.db.get_value("Inventory Account Rule", doc.rule, ["account", "item_group"]) == (rm, "PIP Raw Material")
	assert (balance(rm), balance(acc("Stores"))) == (1000, 250)
	assert_invariant()

	selling("Delivery Note", [(RM, 4, 150, STORES)])
	assert (balance(rm), balance(acc("Stores"))) == (600, 250)
	assert_invariant()


def test_cancel_puts_mapping_and_balances_back_while_no_stock_moved_since(stocked):
	rm = stocked["Stock RM"]
	doc = reclassify("Inventory Account Rule", rule_action="Add", rule_account=rm, rule_item_group="PIP Raw Material")
	rule = doc.rule
	doc.reload()
	doc.cancel()
	assert not frappe.db.exists("Inventory Account Rule", rule)
	assert (balance(rm), balance(acc("Stores"))) == (0, 1250)
	assert_invariant()

	again = reclassify("Inventory Account Rule", rule_action="Add", rule_account=rm, rule_item_group="PIP Raw Material")
	stock_entry("Material Receipt", [(RM, 1, 100, None, STORES)])
	again.reload()
	with pytest.raises(frappe.ValidationError, match="posted after it"):
		again.cancel()
	assert frappe.db.exists("Inventory Account Rule", again.rule)
	assert_invariant()


@pytest.fixture
def ruled(stocked):
	"""The rule made the README way: Stock RM holds 1,000, Stores 250."""
	doc = reclassify("Inventory Account Rule", rule_action="Add", rule_account=stocked["Stock RM"], rule_item_group="PIP Raw Material")
	return {**stocked, "rule": doc.rule}


def test_the_rules_account_edited(ruled):
	rule = frappe.get_doc("Inventory Account Rule", ruled["rule"])
	rule.account = ruled["Stock RM 2"]
	with pytest.raises(frappe.ValidationError, match="Inventory Reclassification"):
		rule.save()
	doc = reclassify("Inventory Account Rule", rule_action="Change Account", rule=ruled["rule"], rule_account=ruled["Stock RM 2"])
	assert gl_by_account("Inventory Reclassification", doc.name) == {ruled["Stock RM 2"]: 1000, ruled["Stock RM"]: -1000}
	assert_invariant()


@pytest.mark.parametrize("action", ["Disable", "Delete"])
def test_the_rule_disabled_or_deleted(ruled, action):
	with pytest.raises(frappe.ValidationError, match="Inventory Reclassification"):
		if action == "Delete":
			frappe.delete_doc("Inventory Account Rule", ruled["rule"])
		else:
			frappe.db.get_value("Inventory Account Rule", ruled["rule"], "name")
			rule = frappe.get_doc("Inventory Account Rule", ruled["rule"])
			rule.disabled = 1
			rule.save()
	doc = reclassify("Inventory Account Rule", rule_action=action, rule=ruled["rule"])
	assert gl_by_account("Inventory Reclassification", doc.name) == {acc("Stores"): 1000, ruled["Stock RM"]: -1000}
	assert frappe.db.exists("Inventory Account Rule", ruled["rule"]) == (ruled["rule"] if action == "Disable" else None)
	assert_invariant()
	doc.reload()
	doc.cancel()
	assert frappe.db.get_value("Inventory Account Rule", ruled["rule"], ["disabled", "account"]) == (0, ruled["Stock RM"])
	assert (balance(ruled["Stock RM"]), balance(acc("Stores"))) == (1000, 250)
	assert_invariant()


def test_a_warehouses_account_changed(ruled):
	warehouse = frappe.get_doc("Warehouse", STORES)
	warehouse.account = ruled["Stores New"]
	with pytest.raises(frappe.ValidationError, match="Inventory Reclassification"):
		warehouse.save()
	assert frappe.db.get_value("Warehouse", STORES, "account") == acc("Stores")
	doc = reclassify("Warehouse", warehouse=STORES, new_account=ruled["Stores New"])
	# the finished goods move; the raw material stays on its rule's account
	assert gl_by_account("Inventory Reclassification", doc.name) == {ruled["Stores New"]: 250, acc("Stores"): -250}
	assert_invariant()


def test_a_warehouse_moved_under_another_parent_and_given_its_own_account(stocked):
	stock_entry("Material Receipt", [(FG, 2, 50, None, stocked["Bin"])])
	assert balance(stocked["Bay A"]) == 100  # the bin inherits Bay A's account
	bin_doc = frappe.get_doc("Warehouse", stocked["Bin"])
	bin_doc.parent_warehouse = stocked["Bay B wh"]
	with pytest.raises(frappe.ValidationError, match="Inventory Reclassification"):
		bin_doc.save()
	doc = reclassify("Warehouse", warehouse=stocked["Bin"], new_parent_warehouse=stocked["Bay B wh"])
	assert gl_by_account("Inventory Reclassification", doc.name) == {stocked["Bay B"]: 100, stocked["Bay A"]: -100}
	assert_invariant()

	bin_doc = frappe.get_doc("Warehouse", stocked["Bin"])
	bin_doc.create_account_under = f"Stock Assets - {A}"
	with pytest.raises(frappe.ValidationError, match="Inventory Reclassification"):
		bin_doc.save()
	assert not frappe.db.exists("Account", f"PIP Bin 1 - {A}")
	doc = reclassify("Warehouse", warehouse=stocked["Bin"], create_account_under=f"Stock Assets - {A}")
	assert moves(doc) == [(FG, stocked["Bin"], 2, 100, stocked["Bay B"], f"PIP Bin 1 - {A}")]
	assert frappe.db.get_value("Warehouse", stocked["Bin"], "account") == f"PIP Bin 1 - {A}"
	assert gl_by_account("Inventory Reclassification", doc.name) == {f"PIP Bin 1 - {A}": 100, stocked["Bay B"]: -100}
	assert_invariant()


def test_the_company_default_changed_for_warehouses_without_an_account(stocked):
	unlinked = f"Unlinked Bay - {A}"
	default = frappe.get_cached_value("Company", COMPANY, "default_inventory_account")
	stock_entry("Material Receipt", [(FG, 3, 50, None, unlinked)])
	company = frappe.get_doc("Company", COMPANY)
	company.default_inventory_account = stocked["Default Two"]
	with pytest.raises(frappe.ValidationError, match="Inventory Reclassification"):
		company.save()
	doc = reclassify("Company Default Inventory Account", new_default_inventory_account=stocked["Default Two"])
	assert gl_by_account("Inventory Reclassification", doc.name) == {stocked["Default Two"]: 150, default: -150}
	assert_invariant()


def test_an_item_moved_to_another_item_group(ruled):
	stock_entry("Material Receipt", [(METAL, 2, 40, None, STORES)])
	assert balance(ruled["Stock RM"]) == 1080
	item = frappe.get_doc("Item", METAL)
	item.item_group = "PIP Products"
	with pytest.raises(frappe.ValidationError, match="Inventory Reclassification"):
		item.save()
	doc = reclassify("Item Group of an Item", item=METAL, new_item_group="PIP Products")
	assert gl_by_account("Inventory Reclassification", doc.name) == {acc("Stores"): 80, ruled["Stock RM"]: -80}
	assert_invariant()


def test_the_company_switched_off_and_on(ruled):
	settings = frappe.get_single("Perpetual Inventory Settings")
	next(r for r in settings.companies if r.company == COMPANY).resolve_inventory_accounts = 0
	with pytest.raises(frappe.ValidationError, match="Inventory Reclassification"):
		settings.save()
	off = reclassify("Company in Perpetual Inventory Settings", resolve_inventory_accounts=0)
	assert gl_by_account("Inventory Reclassification", off.name) == {acc("Stores"): 1000, ruled["Stock RM"]: -1000}
	assert_invariant()
	on = reclassify("Company in Perpetual Inventory Settings", resolve_inventory_accounts=1)
	assert gl_by_account("Inventory Reclassification", on.name) == {ruled["Stock RM"]: 1000, acc("Stores"): -1000}
	assert_invariant()


def test_backdated_vouchers_cancellations_and_reposts_around_the_change(stocked):
	before = purchase_receipt([(RM, 5, 100, STORES)], set_posting_time=1, posting_date=add_days(nowdate(), -3))
	purchase_receipt([(RM, 1, 100, STORES)], set_posting_time=1, posting_date=add_days(nowdate(), -2))  # before the change: fine
	doc = reclassify("Inventory Account Rule", rule_action="Add", rule_account=stocked["Stock RM"], rule_item_group="PIP Raw Material")
	assert moves(doc) == [(RM, STORES, 16, 1600, acc("Stores"), stocked["Stock RM"])]

	with pytest.raises(frappe.ValidationError, match=doc.name):
		purchase_receipt([(RM, 1, 100, STORES)], set_posting_time=1, posting_date=add_days(nowdate(), -1))
	before.reload()
	with pytest.raises(frappe.ValidationError, match=doc.name):
		before.cancel()
	with pytest.raises(frappe.ValidationError, match=doc.name):
		frappe.get_doc(
			{"doctype": "Repost Item Valuation", "based_on": "Item and Warehouse", "company": COMPANY, "item_code": RM,
				"warehouse": STORES, "posting_date": add_days(nowdate(), -1), "posting_time": "00:00:00"}
		).insert()

	after = purchase_receipt([(RM, 2, 110, STORES)])
	selling("Delivery Note", [(RM, 3, 150, STORES)])
	assert_invariant()
	after.reload()
	after.cancel()  # after the change: as usual, and the invariant holds
	assert_invariant()


def test_bad_input_is_refused_and_writes_nothing(stocked):
	rm = stocked["Stock RM"]
	cases = [
		({"rule_action": "Add", "rule_account": rm, "rule_warehouse": "Stores - WP"}, "Wind Power LLC"),
		({"rule_action": "Add", "rule_account": f"Stock Assets - {A}", "rule_item_group": "PIP Raw Material"}, "group"),
		({"rule_action": "Add", "rule_account": stocked["Disabled Stock"], "rule_item_group": "PIP Raw Material"}, "disabled"),
	]
	for fields, says in cases:
		with pytest.raises(frappe.ValidationError, match=says):
			reclassify("Inventory Account Rule", **fields)
	clerk = ensure_user("pip-stock-clerk@example.com", ["Stock User", "Stock Manager"])
	frappe.set_user(clerk)
	with pytest.raises(frappe.PermissionError):
		reclassify("Inventory Account Rule", rule_action="Add", rule_account=rm, rule_item_group="PIP Raw Material")
	frappe.set_user("Administrator")
	assert not frappe.db.exists("Inventory Reclassification", {"company": COMPANY})
	assert not frappe.db.exists("Inventory Account Rule", {"company": COMPANY})
	assert (balance(rm), balance(acc("Stores"))) == (0, 1250)


def test_the_daily_check_alerts_the_role_when_an_account_differs(ruled):
	from perpetual_inventory_plus.reclassification.balance import check_enabled_companies

	manager = ensure_user("pip-balance-watch@example.com", ["Accounts Manager"])
	enable_app_for(COMPANY, inventory_balance_notify_role="Accounts Manager")
	check_enabled_companies()
	assert not frappe.db.exists("Notification Log", {"for_user": manager, "subject": ("like", f"%{COMPANY}%differ%")})
	# a journal entry straight onto an inventory account splits the GL from the stock ledger
	# (ERPNext refuses one on an account whose warehouses' stock equals its balance; a rule's
	# account has no warehouse of its own, so ERPNext lets it through)
	journal = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": COMPANY,
			"posting_date": nowdate(),
			"accounts": [
				{"account": ruled["Stock RM"], "debit_in_account_currency": 30},
				{"account": acc("Stock Adjustment"), "credit_in_account_currency": 30, "cost_center": acc("Main")},
			],
		}
	).insert()
	journal.submit()
	check_enabled_companies()
	log = frappe.get_last_doc("Notification Log", filters={"for_user": manager})
	assert COMPANY in log.subject and ruled["Stock RM"] in log.subject and "30" in log.subject
	assert "Inventory Account Balance" in log.link
