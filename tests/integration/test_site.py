def test_site_has_erpnext_and_this_app_and_allows_tests(site):
	apps = site.get_installed_apps()
	assert "erpnext" in apps and "perpetual_inventory_plus" in apps
	assert site.conf.allow_tests
	assert site.db.sql("select 1")[0][0] == 1
