"""Bench commands of the app: `bench --site SITE migrate-to-perpetual --company C --cutover D`."""

import click
from frappe.commands import get_site, pass_context


@click.command("migrate-to-perpetual")
@click.option("--company", required=True, help="The company to move from periodic to perpetual inventory")
@click.option("--cutover", required=True, help="Cutover date, YYYY-MM-DD")
@click.option("--expense-account", default=None, help="Account absorbing the differences (default: Stock Adjustment)")
@click.option(
	"--default",
	"defaults",
	multiple=True,
	metavar="FIELD=ACCOUNT",
	help="Set a company default the plan cannot choose, e.g. --default default_inventory_account='Stock In Hand - C'",
)
@click.option("--execute", is_flag=True, default=False, help="Carry the plan out; without it, only print it")
@pass_context
def migrate_to_perpetual(context, company, cutover, expense_account, defaults, execute):
	"""Print the plan to move COMPANY to perpetual inventory as of CUTOVER (a dry run that writes
	nothing) or, with --execute, carry it out in one transaction."""
	import frappe

	from perpetual_inventory_plus.migration.command import run

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		chosen = dict(d.split("=", 1) for d in defaults)
		raise SystemExit(run(company, cutover, expense_account, execute, chosen))
	finally:
		frappe.destroy()


commands = [migrate_to_perpetual]
