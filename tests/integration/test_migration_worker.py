"""Issue 14 on a real site: a worker killed in the middle of a migration's execute. Unlike the
other tests this one commits (the worker is another process and only sees committed rows); it
leaves the periodic company as it found it and deletes its migration at the end."""

import subprocess
import sys
import time

import frappe
import pytest

from perpetual_inventory_plus.migration.job import execution_status

from . import periodic_history as history
from .conftest import BENCH, SITE
from .periodic_history import COMPANY
from .test_migration import MIGRATION, new_migration, site_state

# The worker: the job's own `run`, made to stop after the sync journal until it is killed.
WORKER = """
import sys, time
from pathlib import Path
import frappe
from perpetual_inventory_plus.migration import execute, job

site, migration, marker = sys.argv[1:]
frappe.init(site=site, sites_path=".")
frappe.connect()
frappe.set_user("Administrator")
made = execute._journal_entry

def journal_entry(doc, lines, purpose):
	name = made(doc, lines, purpose)
	Path(marker).write_text(name)
	time.sleep(600)
	return name

execute._journal_entry = journal_entry
job.run(migration)
"""


@pytest.fixture(scope="module")
def periodic(site):
	return history.setup()


def test_a_worker_killed_mid_execute_leaves_the_site_unchanged_and_the_migration_failed(periodic, tmp_path):
	frappe.db.rollback()
	doc = new_migration(periodic).insert()
	doc.flags.run_by_caller = True  # no job queued: this test starts the worker itself
	doc.submit()
	frappe.db.commit()
	marker = tmp_path / "sync-journal"
	try:
		before = site_state()
		worker = subprocess.Popen([sys.executable, "-c", WORKER, SITE, doc.name, str(marker)], cwd=BENCH / "sites")
		for _ in range(300):
			if marker.exists() or worker.poll() is not None:
				break
			time.sleep(0.5)
		sync_journal = marker.read_text()
		frappe.db.rollback()
		assert frappe.db.get_value(MIGRATION, doc.name, "status") == "Running"
		assert execution_status(doc.name)["status"] == "Running"
		assert execution_status(doc.name)["description"] == "Stock sync journal: 4 lines"
		with pytest.raises(frappe.ValidationError, match=f"Migration <strong>{doc.name}</strong> of company {COMPANY} is running"):
			new_migration(periodic).insert().submit()
		frappe.db.rollback()

		worker.kill()
		worker.wait()
		frappe.db.rollback()
		assert execution_status(doc.name)["status"] == "Failed"
		frappe.db.rollback()
		assert "its worker ended" in frappe.db.get_value(MIGRATION, doc.name, "execution_log")
		assert site_state() == before
		assert not frappe.db.exists("Journal Entry", sync_journal)
		assert frappe.db.get_value("Company", COMPANY, "enable_perpetual_inventory") == 0
	finally:
		frappe.db.rollback()
		for table in frappe.get_meta(MIGRATION).get_table_fields():
			frappe.db.delete(table.options, {"parent": doc.name})
		frappe.db.delete(MIGRATION, doc.name)
		frappe.db.commit()
