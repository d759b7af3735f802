"""A migration's execute as a job: queued on submit to run in a background worker, one per
company at a time, with its status on the document and its progress for the form and the bench
command.

The execute itself (`execute.py`) is one database transaction. Around it this module keeps what
the user sees: Queued, Running, then Executed or Failed with the reason, each committed on its
own so that it shows while that transaction runs. The worker holds a MariaDB named lock per
company for as long as it executes: a second execute of the company cannot take it, and a worker
that dies (killed, out of memory, machine restarted) loses it together with its connection,
which is also when MariaDB rolls its transaction back. A Running migration whose lock is free has
therefore stopped having changed nothing, and is marked Failed when next looked at.
"""

import hashlib

import frappe
from frappe import _
from frappe.utils import strip_html
from frappe.utils.background_jobs import is_job_enqueued

from perpetual_inventory_plus.migration.execute import execute
from perpetual_inventory_plus.migration.plan import MIGRATION, nothing_to_do

QUEUED, RUNNING, EXECUTED, FAILED = "Queued", "Running", "Executed", "Failed"
APPROVED, NOTHING_TO_DO = "Approved", "Nothing To Do"
UNDER_WAY = (QUEUED, RUNNING)
# A worker's limit for one execute; 200,000 stock ledger entries and 5,000 open receipts take
# well under a minute here (benchmarks/migration.py).
JOB_TIMEOUT = 60 * 60


def enqueue(doc) -> None:
	"""Queue `doc`'s execute on the long queue, once the submit that asks for it is committed."""
	doc.db_set({"status": QUEUED, "execution_log": None})
	frappe.enqueue(
		"perpetual_inventory_plus.migration.job.run",
		queue="long",
		timeout=JOB_TIMEOUT,
		job_id=job_id(doc.name),
		deduplicate=True,
		enqueue_after_commit=True,
		migration=doc.name,
	)


def refuse_second(doc) -> None:
	"""Refuse to queue a migration of a company whose other migration is queued or running."""
	for other in frappe.get_all(
		MIGRATION,
		filters={"company": doc.company, "docstatus": 1, "status": ("in", UNDER_WAY), "name": ("!=", doc.name)},
		pluck="name",
	):
		status = settle(other)
		if status in UNDER_WAY:
			frappe.throw(
				_("Migration {0} of company {1} is {2}: wait until it has finished").format(
					frappe.bold(other), doc.company, _(status).lower()
				),
				title=_("Migration Under Way"),
			)


def run(migration: str, progress=None):
	"""Execute `migration` (Queued, or Approved for `bench migrate`) and record how it ended.

	What the worker runs; the bench command and the patch call it directly. `progress(percent,
	description)` is told how far it got, besides the cache the form reads. Returns the status."""
	doc = frappe.get_doc(MIGRATION, migration)
	if not _lock(doc.company):
		if doc.status in (QUEUED, APPROVED):
			return _end(doc, FAILED, _("Another execute of company {0} was running; nothing was changed").format(doc.company))
		return doc.status
	try:
		# Under the lock, the status says whether this execute is still to be done: a job queued
		# twice, or one the bench command ran itself, finds it done.
		if frappe.db.get_value(MIGRATION, migration, "status", for_update=True) not in (QUEUED, APPROVED):
			return doc.status
		reason = nothing_to_do(doc.company)
		if reason:
			return _end(doc, NOTHING_TO_DO, reason)
		doc.db_set({"status": RUNNING, "execution_log": None})
		frappe.db.commit()
		try:
			execute(doc, progress=lambda percent, what: _report(migration, percent, what, progress))
		except Exception as error:
			frappe.log_error(title=_("Perpetual inventory migration {0} failed").format(migration), reference_doctype=MIGRATION, reference_name=migration)
			return _end(doc, FAILED, _("Nothing was changed: {0}").format(strip_html(str(error)) or type(error).__name__))
		frappe.db.commit()
		return EXECUTED
	finally:
		_unlock(doc.company)
		frappe.cache.delete_value(_progress_key(migration))


def run_approved():
	"""The migrations approved in Desk to run at the next `bench migrate`, one after the other (a
	hook after migrate, and the patch): one that fails says so and the rest go on, so that a
	blocked migration never stops `bench migrate`."""
	for name in frappe.get_all(MIGRATION, filters={"docstatus": 1, "status": APPROVED}, pluck="name", order_by="creation"):
		run(name)


def _end(doc, status, log):
	doc.db_set({"status": status, "execution_log": log})
	frappe.db.commit()
	return status


@frappe.whitelist()
def execution_status(migration: str) -> dict:
	"""Where a migration stands, for the form: status, and while it runs, how far it got."""
	frappe.has_permission(MIGRATION, "read", migration, throw=True)
	status = settle(migration)
	return {"status": status, **(frappe.cache.get_value(_progress_key(migration)) or {})}


@frappe.whitelist()
def execute_again(migration: str) -> None:
	"""Queue a Failed migration once more, after its cause was put right (a frozen account, a
	worker that stopped). It executes the plan it shows, or fails saying the figures moved."""
	frappe.has_permission(MIGRATION, "submit", throw=True)
	doc = frappe.get_doc(MIGRATION, migration)
	if settle(migration) != FAILED:
		frappe.throw(_("Only a failed migration can be executed again; {0} is {1}").format(migration, doc.status))
	refuse_second(doc)
	enqueue(doc)


def settle(migration: str) -> str:
	"""The migration's status, after marking Failed one whose execute stopped unfinished: Running
	without its worker's lock, or Queued with no job left in the queue and no worker on it."""
	company, status = frappe.db.get_value(MIGRATION, migration, ["company", "status"])
	if status not in UNDER_WAY or _locked(company):
		return status
	if status == QUEUED and is_job_enqueued(job_id(migration)):
		return status
	# The lock was free: read the status again past this request's snapshot, since the worker
	# writes its end before it lets the lock go.
	status = frappe.db.get_value(MIGRATION, migration, "status", for_update=True)
	if status == RUNNING:
		return _end(frappe.get_doc(MIGRATION, migration), FAILED, _("The execute stopped before it finished (its worker ended); MariaDB undid its transaction, nothing was changed"))
	if status == QUEUED:
		return _end(frappe.get_doc(MIGRATION, migration), FAILED, _("The job left the queue without running; nothing was changed"))
	frappe.db.commit()  # ends the locking read
	return status


def job_id(migration: str) -> str:
	return f"perpetual_inventory_migration::{migration}"


def _report(migration, percent, what, progress):
	frappe.cache.set_value(_progress_key(migration), {"percent": percent, "description": what}, expires_in_sec=JOB_TIMEOUT)
	if progress:
		progress(percent, what)


def _progress_key(migration):
	return f"perpetual_inventory_migration_progress::{migration}"


def _lock_name(company) -> str:
	# Named locks are server-wide and at most 64 characters: the site's database and the company.
	return "pip-migration-" + hashlib.sha1(f"{frappe.conf.db_name}\n{company}".encode()).hexdigest()


def _lock(company) -> bool:
	return frappe.db.sql("select get_lock(%s, 0)", (_lock_name(company),))[0][0] == 1


def _unlock(company):
	frappe.db.sql("select release_lock(%s)", (_lock_name(company),))


def _locked(company) -> bool:
	return frappe.db.sql("select is_used_lock(%s)", (_lock_name(company),))[0][0] is not None
