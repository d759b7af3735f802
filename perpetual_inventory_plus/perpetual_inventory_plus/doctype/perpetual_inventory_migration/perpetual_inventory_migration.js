// The plan is computed on the server at every save; the form only narrows the account pickers
// and says where the migration stands.
const ACCOUNT_TYPES = {
	default_inventory_account: "Stock",
	stock_received_but_not_billed: "Stock Received But Not Billed",
	stock_adjustment_account: "Stock Adjustment",
	expenses_included_in_valuation: "Expenses Included In Valuation",
};

frappe.ui.form.on("Perpetual Inventory Migration", {
	setup(frm) {
		for (const [fieldname, account_type] of Object.entries(ACCOUNT_TYPES)) {
			frm.set_query(fieldname, () => ({
				filters: { company: frm.doc.company, is_group: 0, disabled: 0, account_type },
			}));
		}
		frm.set_query("difference_account", () => ({
			filters: { company: frm.doc.company, is_group: 0, disabled: 0 },
		}));
		frm.set_query("cost_center", () => ({
			filters: { company: frm.doc.company, is_group: 0 },
		}));
	},

	refresh(frm) {
		frm.set_intro("");
		if (frm.is_new()) {
			frm.set_intro(__("Save to see the plan. Nothing changes until the migration is submitted."), "blue");
		} else if (frm.doc.docstatus === 0 && frm.doc.blockers) {
			frm.set_intro(__("Blocked: resolve every blocker below, then save again."), "red");
		} else if (frm.doc.docstatus === 0) {
			frm.set_intro(
				frm.doc.execute_on === "On Submit"
					? __("Plan ready. Submit to execute it in one transaction.")
					: __("Plan ready. Submit to approve it for the next bench migrate."),
				"blue"
			);
		} else if (frm.doc.status === "Approved") {
			frm.set_intro(__("Approved: runs at the next bench migrate."), "yellow");
		} else if (frm.doc.status === "Executed") {
			frm.set_intro(__("Executed: the company uses perpetual inventory from the cutover on."), "green");
		} else if (frm.doc.status === "Failed") {
			frm.set_intro(__("Failed at bench migrate; nothing was changed. See What Was Done."), "red");
		}
	},
});
