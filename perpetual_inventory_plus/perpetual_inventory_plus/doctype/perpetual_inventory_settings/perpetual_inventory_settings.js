// version-16: a company's item-wise inventory accounts (Item, Item Group and Brand defaults) become
// Inventory Account Rules, so it moves to the app without retyping its mapping.
frappe.ui.form.on("Perpetual Inventory Settings", {
	refresh(frm) {
		frm.add_custom_button(__("Convert Item-wise Accounts to Rules"), () => {
			frappe.prompt(
				{ fieldname: "company", fieldtype: "Link", options: "Company", label: __("Company"), reqd: 1 },
				({ company }) =>
					frappe
						.call({
							method: "perpetual_inventory_plus.accounts.item_wise.convert_item_wise_accounts",
							args: { company },
							freeze: true,
						})
						.then(({ message }) =>
							frappe.msgprint(
								message.length
									? __("Created {0} Inventory Account Rules: {1}", [message.length, message.join(", ")])
									: __("Nothing to convert: every item-wise account of {0} already has its rule", [company])
							)
						),
				__("Convert Item-wise Accounts to Rules"),
				__("Convert")
			);
		});
	},
});
