"""Issue 14 on a real site: where the site has a read replica (Frappe's `read_from_replica` and
`replica_host`), the heavy reading goes there: the SRBNB reconciliation (report and runs), the
inventory account balances (report and daily check) and the migration plan shown before anything
changes; the migration's execute plans again on the primary. The "replica" here is the same
MariaDB server reached over TCP: a connection of its own, which sees only what is committed, as a
replica does. Which connection each read went over is told by MariaDB's connection_id()."""

from contextlib import contextmanager
from unittest.mock import patch

import frappe
import pytest
from frappe.desk.query_report import run as run_report
from frappe.utils import today

from perpetual_inventory_plus.migration import plan
from perpetual_inventory_plus.migration.command import run as run_command
from perpetual_inventory_plus.reclassification import balance
from perpetual_inventory_plus.srbnb import reconcile
from perpetual_inventory_plus.srbnb.runs import store_run

from . import periodic_history as history
from .factory import enable_app_for
from .test_srbnb_reconciliation import COMPANY, srbnb_company  # noqa: F401


def connection_id():
	return frappe.db.sql("select connection_id()")[0][0]


@pytest.fixture
def reads(monkeypatch):
	"""The connection each heavy read went over, by the function that reads."""
	seen = []
	for module, name in ((reconcile, "scanned_receipts"), (balance, "stock_on_hand"), (plan, "stock_on_hand")):
		original = getattr(module, name)

		def spy(*args, _original=original, _where=f"{module.__name__}.{name}", **kwargs):
			seen.append((_where, connection_id()))
			return _original(*args, **kwargs)

		monkeypatch.setattr(module, name, spy)
	return seen


@contextmanager
def replica():
	"""A replica configured for the site; after each read, the primary connection again."""
	primary = connection_id()
	with patch.dict(frappe.local.conf, {"read_from_replica": 1, "replica_host": "127.0.0.1"}):
		try:
			yield primary
		finally:
			# frappe keeps the swapped connections on frappe.local for the rest of a request; a
			# request here is one call
			for attr in ("replica_db", "primary_db"):
				if hasattr(frappe.local, attr):
					delattr(frappe.local, attr)
	assert connection_id() == primary


def read_by(seen, entry, where):
	"""The connections `entry()` read over with `where`, on a fresh replica configuration."""
	seen.clear()
	with replica() as primary:
		entry()
	connections = {connection for function, connection in seen if function == where}
	assert connections, f"{where} did not read"
	return primary, connections


def test_heavy_reads_go_to_the_replica_and_the_execute_to_the_primary(srbnb_company, reads):  # noqa: F811
	periodic = history.setup()
	enable_app_for(COMPANY, reconcile_srbnb=1)
	srbnb = "perpetual_inventory_plus.srbnb.reconcile.scanned_receipts"
	balances = "perpetual_inventory_plus.reclassification.balance.stock_on_hand"
	planning = "perpetual_inventory_plus.migration.plan.stock_on_hand"
	for entry, where in (
		(lambda: run_report("SRBNB Reconciliation", {"company": COMPANY, "as_of_date": today()}), srbnb),
		(lambda: store_run(COMPANY, started_by="Scheduler"), srbnb),
		(lambda: run_report("Inventory Account Balance", {"company": COMPANY, "as_of_date": today()}), balances),
		(lambda: balance.inventory_balances(COMPANY), balances),
		(lambda: run_command(history.COMPANY, str(periodic.cutover), None, False), planning),
		(
			lambda: frappe.get_doc(
				{"doctype": "Perpetual Inventory Migration", "company": history.COMPANY, "cutover_date": periodic.cutover}
			).insert(),
			planning,
		),
	):
		primary, connections = read_by(reads, entry, where)
		assert primary not in connections, entry

	# The execute's plan: on the primary, in the execute's own transaction.
	primary, connections = read_by(reads, lambda: plan.compute_plan(history.COMPANY, periodic.cutover), planning)
	assert connections == {primary}
