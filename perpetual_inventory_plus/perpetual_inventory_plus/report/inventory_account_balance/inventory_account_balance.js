// Per inventory account: GL balance, the stock value of the pairs resolving to it, the difference.
frappe.query_reports["Inventory Account Balance"] = {
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
		{
			fieldname: "breakdown",
			label: __("Break Down By"),
			fieldtype: "Select",
			options: "Warehouse\nItem Group",
			default: "Warehouse",
		},
	],
	tree: true,
	name_field: "name",
	parent_field: "parent",
	initial_depth: 0,
};
