"""Execute the periodic-to-perpetual migrations approved in Desk to run at the next migrate."""

from perpetual_inventory_plus.migration.job import run_approved


def execute():
	run_approved()
