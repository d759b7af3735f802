import frappe
from frappe import _


def validate_inventory_account(account: str, company: str, context: str) -> None:
	"""An inventory account must be an enabled ledger of account type Stock of the same company."""
	details = frappe.db.get_value(
		"Account", account, ["is_group", "company", "account_type", "disabled"], as_dict=True
	)
	if not details:
		problem = _("does not exist")
	elif details.is_group:
		problem = _("is a group account; choose a ledger")
	elif details.company != company:
		problem = _("belongs to company {0}, not {1}").format(details.company, company)
	elif details.account_type != "Stock":
		problem = _("has account type {0}; an inventory account must have account type Stock").format(
			details.account_type or _("(none)")
		)
	elif details.disabled:
		problem = _("is disabled")
	else:
		return
	frappe.throw(
		_("{0}: account {1} {2}").format(context, frappe.bold(account), problem),
		title=_("Invalid Inventory Account"),
	)
