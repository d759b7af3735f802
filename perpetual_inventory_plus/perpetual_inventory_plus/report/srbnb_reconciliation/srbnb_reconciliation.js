frappe.query_reports["SRBNB Reconciliation"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			reqd: 1,
			default: frappe.defaults.get_user_default("Company"),
		},
		{ fieldname: "as_of_date", label: __("As of Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "supplier", label: __("Supplier"), fieldtype: "Link", options: "Supplier" },
		{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
		{
			fieldname: "purchase_receipt",
			label: __("Purchase Receipt"),
			fieldtype: "Link",
			options: "Purchase Receipt",
			get_query: () => ({ filters: { company: frappe.query_report.get_filter_value("company"), docstatus: 1 } }),
		},
		{ fieldname: "only_differences", label: __("Only Rows With a Difference"), fieldtype: "Check" },
		{ fieldname: "include_cleared", label: __("Include Cleared Rows"), fieldtype: "Check" },
	],
	onload(report) {
		report.page.add_inner_button(__("Store as Reconciliation Run"), () => {
			const filters = report.get_values();
			if (!filters) return;
			frappe.call({
				method: "perpetual_inventory_plus.srbnb.runs.start_run",
				args: { company: filters.company, as_of_date: filters.as_of_date },
				freeze: true,
				callback: (r) => r.message && frappe.set_route("Form", "SRBNB Reconciliation Run", r.message),
			});
		});
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "reason" && data && data.unexplained) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
