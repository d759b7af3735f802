// A stored run is a record: only a new one is saved (which runs the reconciliation).
frappe.ui.form.on("SRBNB Reconciliation Run", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.disable_save();
		}
	},
});
