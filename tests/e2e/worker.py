"""The browser tests' background worker: frappe's own worker on the long queue, in which each
step of a migration's execute lasts 2.5 seconds longer, so that the page can be seen following it
(the test data executes in under a second otherwise): longer than the form's poll (1.5 s and its
request), or a step can pass between two polls unseen (it did, once, with 1 s).

Run with the bench's Python from the bench's sites/ folder: python worker.py
"""

import time

from frappe.utils.background_jobs import start_worker

from perpetual_inventory_plus.migration import job

reported = job._report


def report_slowly(*args):
	reported(*args)
	time.sleep(2.5)


job._report = report_slowly
start_worker(queue="long", quiet=True)
