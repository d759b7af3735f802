"""Execute the periodic-to-perpetual migrations approved in Desk to run at the next migrate."""

from perpetual_inventory_plus.migration.execute import execute_approved_migrations


def execute():
	execute_approved_migrations()
