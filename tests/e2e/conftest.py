"""The browser layer: the Desk of FRAPPE_SITE in a headless Chromium, driven through selenium.

It needs a bench (FRAPPE_BENCH) with built assets and Debian's chromium and chromedriver;
without them the whole layer is skipped with one line saying why. It starts its own web server
for the site on 127.0.0.1 (a free port), logs in as Administrator (FRAPPE_ADMIN_PASSWORD,
default admin) and saves each test's last screen under test-artifacts/e2e/."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest

from .availability import BENCH, CHROMEDRIVER, CHROMIUM, SITE

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"

# Nothing here imports frappe or selenium at load time: where they are missing, the test modules
# skip themselves (availability.require) and these fixtures are never set up.


@pytest.fixture(scope="package")
def desk_data():
	"""The browser tests' company and masters, committed (see desk_data.py)."""
	import frappe

	from .desk_data import setup

	owned = not getattr(frappe.local, "initialised", False)
	if owned:
		frappe.init(site=SITE, sites_path=str(BENCH / "sites"))
		frappe.connect()
	frappe.set_user("Administrator")
	yield setup()
	if owned:
		frappe.destroy()


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


@pytest.fixture(scope="package")
def server(desk_data):
	"""The site's Desk on 127.0.0.1 and a background worker for its long queue, stopped after the
	layer; their logs go to test-artifacts/e2e/."""
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	port = free_port()
	url = f"http://127.0.0.1:{port}"
	processes = []
	for script, args, logged in (("serve.py", [SITE, str(port)], "server.log"), ("worker.py", [], "worker.log")):
		with open(ARTIFACTS / logged, "w") as log:
			processes.append(
				subprocess.Popen(
					[sys.executable, str(Path(__file__).with_name(script)), *args],
					cwd=BENCH / "sites",
					stdout=log,
					stderr=subprocess.STDOUT,
				)
			)
	try:
		wait_for_server(url, processes[0])
		yield url
	finally:
		for process in processes:
			process.terminate()
			try:
				process.wait(timeout=10)
			except subprocess.TimeoutExpired:
				process.kill()


def wait_for_server(url: str, process, attempts: int = 120):
	for _ in range(attempts):
		if process.poll() is not None:
			raise RuntimeError(f"the test web server exited; see {ARTIFACTS / 'server.log'}")
		try:
			with urllib.request.urlopen(f"{url}/api/method/ping", timeout=1) as response:
				if response.status == 200:
					return
		except OSError:
			pass
		# Wait for the server's process, not for the page: it answers or dies within this time.
		try:
			process.wait(timeout=0.5)
		except subprocess.TimeoutExpired:
			pass
	raise RuntimeError(f"the test web server did not answer at {url}; see {ARTIFACTS / 'server.log'}")


@pytest.fixture(scope="package")
def browser():
	from selenium import webdriver
	from selenium.webdriver.chrome.service import Service

	profile = tempfile.mkdtemp(prefix="pip-e2e-chromium-")
	options = webdriver.ChromeOptions()
	options.binary_location = CHROMIUM
	for flag in (
		"--headless=new",
		"--no-sandbox",
		"--disable-gpu",
		"--disable-quic",
		"--no-first-run",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		f"--user-data-dir={profile}",
		"--window-size=1400,1000",
	):
		options.add_argument(flag)
	driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
	_browsers.append(driver)
	try:
		yield driver
	finally:
		_browsers.remove(driver)
		driver.quit()
		shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="package")
def desk(server, browser):
	"""The Desk, logged in as Administrator."""
	from .desk import Desk

	desk = Desk(browser, server)
	desk.login("Administrator", os.environ.get("FRAPPE_ADMIN_PASSWORD", "admin"))
	return desk


_browsers = []  # the open browser, for the screenshot of a test whose fixtures failed


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	"""Each test's last screen, saved after the test ran, or after its setup failed (a fixture that
	fills a form in the Desk can fail before the test starts)."""
	report = (yield).get_result()
	if _browsers and (report.when == "call" or (report.when == "setup" and report.failed)):
		ARTIFACTS.mkdir(parents=True, exist_ok=True)
		_browsers[0].save_screenshot(str(ARTIFACTS / (re.sub(r"[^\w.-]+", "_", item.name) + ".png")))
