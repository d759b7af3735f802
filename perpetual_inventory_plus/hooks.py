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

# One plain script for every form that gets a "Why this account" button.
app_include_js = ["/assets/perpetual_inventory_plus/js/inventory_account_trace.js"]

# Stock vouchers post their stock GL with the resolved inventory accounts (see overrides.py).
_stock_vouchers = (
	"Purchase Receipt",
	"Purchase Invoice",
	"Delivery Note",
	"Sales Invoice",
	"Stock Entry",
	"Stock Reconciliation",
)
override_doctype_class = {
	doctype: "perpetual_inventory_plus.overrides." + doctype.replace(" ", "") for doctype in _stock_vouchers
}

doc_events = {
	"Warehouse": {
		"validate": "perpetual_inventory_plus.warehouse_accounts.validate_warehouse",
	},
	**{
		doctype: {"before_submit": "perpetual_inventory_plus.inventory_posting.check_accounts_resolve"}
		for doctype in _stock_vouchers
	},
}
