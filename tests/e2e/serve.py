"""The browser tests' web server: the Desk of one site, on 127.0.0.1 only, with /assets served
from sites/assets, without the interactive debugger or the reloader (which `bench serve` turns on).

Run with the bench's Python from the bench's sites/ folder: python serve.py SITE PORT
"""

import sys

import frappe.app
from werkzeug.serving import run_simple

site, port = sys.argv[1], int(sys.argv[2])
frappe.app._site = site
frappe.app._sites_path = "."
application = frappe.app.application_with_statics()
run_simple("127.0.0.1", port, application, use_reloader=False, use_debugger=False, threaded=True)
