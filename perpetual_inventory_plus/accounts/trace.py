""""Why this account": the resolution trace of a stock document's rows or of a warehouse."""

from dataclasses import asdict

import frappe
from frappe import _

from perpetual_inventory_plus.accounts.facts import load_company_facts
from perpetual_inventory_plus.accounts.core import ResolutionError, resolve
from perpetual_inventory_plus.settings import resolves_inventory_accounts
from perpetual_inventory_plus.accounts.stock_rows import WAREHOUSE_FIELDS, placements


def _explain(facts, item, warehouse, **row):
	try:
		r = resolve(facts, item, warehouse)
	except ResolutionError as e:
		return {**row, "item_code": item, "warehouse": warehouse, "error": str(e), "trace": []}
	return {
		**row,
		"item_code": item,
		"warehouse": warehouse,
		"account": r.account,
		"source": r.source,
		"subject": r.subject,
		"trace": [asdict(step) for step in r.trace],
	}


@frappe.whitelist()
def explain_document(doctype: str, name: str) -> dict:
	if doctype not in WAREHOUSE_FIELDS:
		frappe.throw(_("{0} has no stock rows to explain").format(doctype))
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("read")
	found = list(placements(doc))
	facts = load_company_facts(doc.company, {p.item for p in found})
	return {
		"company": doc.company,
		"rules_apply": resolves_inventory_accounts(doc.company),
		"rows": [
			_explain(
				facts,
				p.item,
				p.warehouse,
				table=p.row.parentfield,
				table_label=_(doc.meta.get_label(p.row.parentfield)),
				idx=p.row.idx,
				warehouse_field=p.field,
			)
			for p in found
		],
	}


@frappe.whitelist()
def explain_warehouse(warehouse: str, item: str | None = None) -> dict:
	"""The trace for `item` in `warehouse`, or without an item, for rules that name none."""
	frappe.has_permission("Warehouse", "read", warehouse, throw=True)
	if item:
		frappe.has_permission("Item", "read", item, throw=True)
	company = frappe.db.get_value("Warehouse", warehouse, "company")
	facts = load_company_facts(company, [item] if item else [])
	return {
		"company": company,
		"rules_apply": resolves_inventory_accounts(company),
		"rows": [_explain(facts, item or "", warehouse)],
	}
