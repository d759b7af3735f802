frappe.ui.form.on("Inventory Account Rule", {
	setup(frm) {
		frm.set_query("account", () => ({
			filters: { company: frm.doc.company, is_group: 0, account_type: "Stock", disabled: 0 },
		}));
		frm.set_query("warehouse", () => ({ filters: { company: frm.doc.company } }));
	},
});
