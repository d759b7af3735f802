from perpetual_inventory_plus.versions import EXTENDS_DOCTYPE_CLASS

app_name = "perpetual_inventory_plus"
app_title = "Perpetual Inventory Plus"
app_publisher = "Perpetual Inventory Plus developers"
app_description = (
	"Hierarchical inventory accounts, perpetual-inventory GL, periodic-to-perpetual migration "
	"and SRBNB reconciliation for ERPNext"
)
app_license = "GPL-3.0-or-later"

required_apps = ["frappe/erpnext"]

# Custom fields this app adds to ERPNext doctypes; synced on install and migrate, and removed
# with the module on uninstall.
fixtures = [{"dt": "Custom Field", "filters": [["module", "=", "Perpetual Inventory Plus"]]}]

# Daily: an SRBNB Reconciliation Run for each company with Daily SRBNB Reconciliation on, and the
# check that each inventory account's balance equals the stock value of the pairs resolving to it.
scheduler_events = {
	"daily": [
		"perpetual_inventory_plus.srbnb.runs.run_for_enabled_companies",
		"perpetual_inventory_plus.reclassification.balance.check_enabled_companies",
	]
}

# One plain script for every form that gets a "Why this account" button.
app_include_js = ["/assets/perpetual_inventory_plus/js/inventory_account_trace.js"]

# Stock vouchers post their stock GL with the resolved inventory accounts: ERPNext's classes with
# the app's mixins in front, composed by frappe 16 (extend_doctype_class) or, on frappe 15, by
# posting/overrides.py (override_doctype_class). versions.py picks.
_stock_vouchers = (
	"Purchase Receipt",
	"Purchase Invoice",
	"Delivery Note",
	"Sales Invoice",
	"Stock Entry",
	"Stock Reconciliation",
	"Subcontracting Receipt",
	"Asset Capitalization",
)
_mixins = {doctype: ["perpetual_inventory_plus.posting.resolved_accounts.ResolvedInventoryAccounts"] for doctype in _stock_vouchers}
# Invoices for receipts from before a migration's cutover bill Stock Received But Not Billed.
_mixins["Purchase Invoice"].append("perpetual_inventory_plus.migration.opened_receipts.BillsOpenedReceipts")
if EXTENDS_DOCTYPE_CLASS:
	extend_doctype_class = _mixins
else:
	override_doctype_class = {
		doctype: "perpetual_inventory_plus.posting.overrides." + doctype.replace(" ", "") for doctype in _stock_vouchers
	}

# A migrated company's stock up to its cutover is frozen (migration/cutover_guard.py), and a
# company's stock before its last Inventory Reclassification (reclassification/freeze.py).
_frozen = [
	"perpetual_inventory_plus.migration.cutover_guard.check_cutover",
	"perpetual_inventory_plus.reclassification.freeze.check_reclassified",
]
# A change of where stock is accounted, made without its reclassification, is refused before it
# is written (reclassification/changes.py).
_guard = "perpetual_inventory_plus.reclassification.changes."

doc_events = {
	"Warehouse": {
		"validate": [_guard + "guard_warehouse", "perpetual_inventory_plus.accounts.warehouse.validate_warehouse"],
	},
	**{
		doctype: {
			"before_submit": [*_frozen, "perpetual_inventory_plus.posting.resolved_accounts.check_accounts_resolve"],
			"before_cancel": _frozen,
		}
		for doctype in _stock_vouchers
	},
	"Landed Cost Voucher": {"before_submit": _frozen, "before_cancel": _frozen},
	"Repost Item Valuation": {"validate": _frozen},
	"Inventory Account Rule": {"validate": _guard + "guard_rule", "on_trash": _guard + "guard_rule"},
	"Company": {"validate": _guard + "guard_company"},
	"Item": {"validate": _guard + "guard_item"},
	"Perpetual Inventory Settings": {"validate": _guard + "guard_settings"},
}

# Migrations approved in Desk "At Next Bench Migrate". Frappe runs a patch once per site, so the
# patch in patches.txt covers the migrate that installs or upgrades the app, and this hook every
# later one; both call the same function.
after_migrate = ["perpetual_inventory_plus.migration.job.run_approved"]

# The SRBNB Reconciliation of a large company runs as a Prepared Report (srbnb/prepared.py).
override_whitelisted_methods = {"frappe.desk.query_report.run": "perpetual_inventory_plus.srbnb.prepared.run"}
