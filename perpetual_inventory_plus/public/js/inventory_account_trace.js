// "Why this account": shows how the inventory account of each stock row was resolved.
frappe.provide("perpetual_inventory_plus");

perpetual_inventory_plus.show_account_trace = function (title, result) {
	const esc = frappe.utils.escape_html;
	const rows = result.rows
		.map((row) => {
			const where = row.idx
				? `${esc(row.table_label)} ${__("Row")} ${row.idx} (${esc(row.warehouse_field)})`
				: "";
			const outcome = row.error
				? `<div class="text-danger">${esc(row.error)}</div>`
				: `<div><b>${esc(row.account)}</b> ${__("from")} ${__(row.source)} ${esc(row.subject)}</div>`;
			const steps = row.trace
				.map(
					(s) =>
						`<li class="${s.chosen ? "text-success" : "text-muted"}">${__(s.step)} ${esc(s.subject)}: ${
							s.account ? esc(s.account) : __("no account")
						}${s.chosen ? " &larr; " + __("chosen") : ""}</li>`
				)
				.join("");
			return `<div class="pip-trace-row" style="margin-bottom: 1em">
				<div>${where} ${esc(row.item_code || __("any item"))} ${__("in")} ${esc(row.warehouse)}</div>
				${outcome}<ol>${steps}</ol></div>`;
		})
		.join("");
	const note = result.rules_apply
		? ""
		: `<p class="text-muted">${__(
				"Inventory Account Rules are not turned on for company {0} in Perpetual Inventory Settings; ERPNext's warehouse accounts apply.",
				[esc(result.company)]
		  )}</p>`;
	const dialog = new frappe.ui.Dialog({ title: title, size: "large" });
	dialog.$body.html(`<div class="pip-account-trace">${note}${rows}</div>`);
	dialog.show();
	return dialog;
};

// The stock vouchers of hooks.py's _stock_vouchers (a test keeps the two lists equal).
const pip_stock_doctypes = [
	"Purchase Receipt",
	"Purchase Invoice",
	"Delivery Note",
	"Sales Invoice",
	"Stock Entry",
	"Stock Reconciliation",
	"Subcontracting Receipt",
	"Asset Capitalization",
];

pip_stock_doctypes.forEach((doctype) => {
	frappe.ui.form.on(doctype, {
		refresh(frm) {
			if (frm.is_new()) return;
			frm.add_custom_button(
				__("Why This Account"),
				() =>
					frappe
						.call("perpetual_inventory_plus.accounts.trace.explain_document", {
							doctype: frm.doctype,
							name: frm.doc.name,
						})
						.then((r) => perpetual_inventory_plus.show_account_trace(__("Why This Account"), r.message)),
				__("View")
			);
		},
	});
});

frappe.ui.form.on("Warehouse", {
	setup(frm) {
		frm.set_query("create_account_under", () => ({
			filters: { company: frm.doc.company, is_group: 1, disabled: 0 },
		}));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Why This Account"), () => {
			frappe.prompt(
				{ fieldname: "item", fieldtype: "Link", options: "Item", label: __("Item (optional)") },
				(values) =>
					frappe
						.call("perpetual_inventory_plus.accounts.trace.explain_warehouse", {
							warehouse: frm.doc.name,
							item: values.item || null,
						})
						.then((r) => perpetual_inventory_plus.show_account_trace(__("Why This Account"), r.message)),
				__("Why This Account"),
				__("Explain")
			);
		});
	},
});
