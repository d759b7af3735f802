"""Perpetual Inventory Settings as the capabilities read them: which companies the app acts for,
and how. Below every capability, so that each may import it; it imports none of them."""

import frappe

SETTINGS = "Perpetual Inventory Settings"


def company_settings(company: str):
	"""The settings row of a company, or None when the app is not turned on for it."""
	settings = frappe.get_cached_doc(SETTINGS)
	return next((row for row in settings.companies if row.company == company), None)


def resolves_inventory_accounts(company: str) -> bool:
	row = company_settings(company)
	return bool(row and row.resolve_inventory_accounts)
