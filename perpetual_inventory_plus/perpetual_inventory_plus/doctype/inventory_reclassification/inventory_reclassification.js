// The preview (the moves table) is computed on every save; the General Ledger shows the posting.
frappe.ui.form.on("Inventory Reclassification", {
	setup(frm) {
		const ledger = (filters) => () => ({ filters: { company: frm.doc.company, is_group: 0, disabled: 0, ...filters } });
		["rule_account", "new_account", "new_default_inventory_account"].forEach((f) =>
			frm.set_query(f, ledger({ account_type: "Stock" }))
		);
		frm.set_query("create_account_under", () => ({ filters: { company: frm.doc.company, is_group: 1, disabled: 0 } }));
		["warehouse", "new_parent_warehouse", "rule_warehouse"].forEach((f) =>
			frm.set_query(f, () => ({ filters: { company: frm.doc.company } }))
		);
		frm.set_query("rule", () => ({ filters: { company: frm.doc.company } }));
	},
	refresh(frm) {
		if (frm.doc.docstatus > 0) {
			frm.add_custom_button(
				__("Accounting Ledger"),
				() =>
					frappe.set_route("query-report", "General Ledger", {
						company: frm.doc.company,
						voucher_no: frm.doc.name,
						from_date: frm.doc.posting_date,
						to_date: frm.doc.posting_date,
						group_by: "Group by Voucher (Consolidated)",
					}),
				__("View")
			);
		}
	},
});
