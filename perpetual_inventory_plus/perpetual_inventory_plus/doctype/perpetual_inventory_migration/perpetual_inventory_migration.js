// The plan is computed on the server at every save; the form only narrows the account pickers
// and says where the migration stands. While the execute runs in its background job the form
// asks the server how far it got (migration/job.py keeps that in the cache): this works without
// the realtime server and after a reload of the page alike.
const UNDER_WAY = ["Queued", "Running"];
const POLL_MS = 1500;
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
		} else if (UNDER_WAY.includes(frm.doc.status)) {
			frm.set_intro(__("Executing in the background: nothing changes until every step is done."), "blue");
			follow_execute(frm);
		} else if (frm.doc.status === "Approved") {
			frm.set_intro(__("Approved: runs at the next bench migrate."), "yellow");
		} else if (frm.doc.status === "Executed") {
			frm.set_intro(__("Executed: the company uses perpetual inventory from the cutover on."), "green");
		} else if (frm.doc.status === "Failed") {
			frm.set_intro(__("Failed; nothing was changed. See What Was Done for the reason."), "red");
			if (frappe.model.can_submit("Perpetual Inventory Migration")) {
				frm.add_custom_button(__("Execute Again"), () =>
					frappe
						.call("perpetual_inventory_plus.migration.job.execute_again", { migration: frm.doc.name })
						.then(() => frm.reload_doc())
				);
			}
		}
	},
});

function follow_execute(frm) {
	if (frm._following_execute === frm.doc.name) return;
	frm._following_execute = frm.doc.name;
	const poll = () => {
		if (frm.doc.name !== frm._following_execute) return;
		frappe
			.xcall("perpetual_inventory_plus.migration.job.execution_status", { migration: frm.doc.name })
			.then((state) => {
				if (UNDER_WAY.includes(state.status)) {
					if (state.status !== frm.doc.status) {
						frm.doc.status = state.status;
						frm.refresh_field("status");
					}
					frm.dashboard.show_progress(
						__("Executing"),
						state.percent || 0,
						state.description || __(state.status)
					);
					setTimeout(poll, POLL_MS);
				} else {
					frm._following_execute = null;
					frm.dashboard.hide_progress(__("Executing"));
					frm.reload_doc();
				}
			});
	};
	poll();
}
