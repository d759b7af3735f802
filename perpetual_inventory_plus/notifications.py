"""Alerts from the daily jobs to the role the settings name. Below every capability, so that each
may import it; it imports none of them."""

import frappe
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs


def notify_role(role: str, company: str, subject: str, content: str, **target) -> None:
	"""A Notification Log (emailed as each user's Notification Settings say) to each enabled user
	of `role` who may see `company`; `target`: document_type and document_name, or link."""
	users = frappe.get_all(
		"User",
		filters={"enabled": 1, "name": ("in", role_users(role)), "user_type": "System User"},
		fields=["name", "email"],
	)
	emails = [user.email for user in users if frappe.has_permission("Company", "read", doc=company, user=user.name)]
	if emails:
		make_notification_logs(frappe._dict(type="Alert", subject=subject, email_content=content, **target), emails)


def role_users(role: str) -> list[str]:
	return frappe.get_all("Has Role", filters={"role": role, "parenttype": "User"}, pluck="parent", distinct=True)
