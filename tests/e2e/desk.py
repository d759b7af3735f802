"""Driving the Desk the way a user does: log in, open forms, type into fields, pick link values
from their dropdowns, click buttons and menus, read dialogs, toasts and report rows.

Every wait is an explicit wait on what the page shows (or on the Desk having finished its
requests and unfrozen), never a fixed sleep."""

# ruff: noqa: E402  (the layer skips itself before importing selenium)
from urllib.parse import quote, urlencode

from .availability import require

require()

from selenium.common.exceptions import (
	ElementClickInterceptedException,
	StaleElementReferenceException,
	TimeoutException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 30

# The Desk is idle when the page has loaded, no request of jQuery's (frappe.call) is open and
# nothing froze the screen (a table row opened as a form holds one freeze while it is open).
IDLE = """return document.readyState === 'complete' && !!window.frappe && !!frappe.dom
	&& frappe.dom.freeze_count <= $('.grid-row-open').length && jQuery.active === 0"""


def slug(doctype: str) -> str:
	return doctype.lower().replace(" ", "-")


class Desk:
	def __init__(self, driver, base_url: str):
		self.driver = driver
		self.base_url = base_url

	# waiting

	def wait(self, condition, message: str, timeout: float = TIMEOUT):
		return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
			condition, message
		)

	def js(self, script: str, *args):
		return self.driver.execute_script(script, *args)

	def wait_js(self, script: str, message: str, *args, timeout: float = TIMEOUT):
		"""Wait until `script` returns something truthy; returns it."""
		return self.wait(lambda d: d.execute_script(script, *args), message, timeout)

	def idle(self, timeout: float = TIMEOUT):
		self.wait_js(IDLE, "the Desk did not finish its requests", timeout=timeout)

	def visible(self, css: str, message: str | None = None, within=None, timeout: float = TIMEOUT):
		"""The first displayed element matching `css`."""

		def find(_driver):
			for element in (within or self.driver).find_elements(By.CSS_SELECTOR, css):
				if element.is_displayed():
					return element
			return False

		return self.wait(find, message or f"nothing visible matches {css}", timeout)

	# pages

	def login(self, user: str, password: str):
		self.driver.get(f"{self.base_url}/login")
		self.visible("#login_email").send_keys(user)
		self.visible("#login_password").send_keys(password)
		self.visible(".form-login .btn-login").click()
		self.wait_js(
			"return window.frappe && frappe.session && frappe.session.user === arguments[0] && frappe.container",
			f"the Desk did not open for {user}",
			user,
			timeout=60,
		)
		self.idle(timeout=60)

	def go(self, route: str):
		self.driver.get(f"{self.base_url}/app/{route}")
		self.idle(timeout=60)

	def open_form(self, doctype: str, name: str):
		self.go(f"{slug(doctype)}/{quote(name, safe='')}")
		return self.await_form(doctype, name)

	def new_form(self, doctype: str, **values):
		"""A new form; `values` are set as the Desk sets a list's filters on a new document, before
		its defaults that depend on them (a company's taxes, say) are fetched."""
		self.go(f"{slug(doctype)}/new" + (f"?{urlencode(values)}" if values else ""))
		self.wait_js(
			"return window.cur_frm && cur_frm.doctype === arguments[0] && cur_frm.is_new()",
			f"no new {doctype} form",
			doctype,
		)
		self.idle()

	def await_form(self, doctype: str, name: str | None = None):
		"""Wait until the page shows the saved form of `doctype` (named `name`); returns its name."""
		name = self.wait_js(
			"""const f = window.cur_frm;
			return f && f.doctype === arguments[0] && !f.is_new() && (!arguments[1] || f.docname === arguments[1])
				&& $(f.wrapper).is(':visible') && f.docname""",
			f"the page does not show {doctype} {name or ''}",
			doctype,
			name,
		)
		self.idle()
		return name

	def open_list(self, doctype: str):
		"""The list view of `doctype`, once it has loaded."""
		self.go(slug(doctype))
		self.wait_js(
			"""const l = window.cur_list;
			return l && l.doctype === arguments[0] && l.$result && l.data
				&& !l.$result.find('.list-loading').is(':visible')""",
			f"the list of {doctype} did not load",
			doctype,
		)

	def open_from_list(self, doctype: str, name: str):
		"""Click `name` in the open list view, and wait for its form. A list opened again shows
		what it held before and refreshes a moment later, so this waits for the row to appear."""
		self.visible(f'.list-row-container a.ellipsis[href$="/{quote(name, safe="")}"]', f"{name} is not in the list").click()
		return self.await_form(doctype, name)

	def _fields(self, table: str | None, idx: int | None) -> str:
		"""JavaScript for the controls of the form, or of row `idx` of `table` opened as a form."""
		if not table:
			return "cur_frm.fields_dict"
		return f"((cur_frm.fields_dict[{table!r}].grid.grid_rows[{idx - 1}].grid_form || {{}}).fields_dict || {{}})"

	def scroll_to(self, fieldname: str):
		"""Bring a field of the form into view, as a user scrolls to read it (and so the screenshot shows it)."""
		self.js("cur_frm.fields_dict[arguments[0]].wrapper.scrollIntoView({block: 'center'})", fieldname)

	def is_shown(self, fieldname: str) -> bool:
		"""Whether the form shows the field (the Desk hides a read-only field that is empty)."""
		return self.js("const c = cur_frm.fields_dict[arguments[0]]; return !!c && $(c.wrapper).is(':visible')", fieldname)

	def shown(self, fieldname: str) -> str:
		"""What a field of the form shows: a read-only value's text, or the input's value."""
		control = self.wait_js(
			"const c = cur_frm.fields_dict[arguments[0]]; return c && $(c.wrapper).is(':visible') && c.wrapper",
			f"field {fieldname} is not shown",
			fieldname,
		)
		for value in control.find_elements(By.CSS_SELECTOR, ".control-value"):
			if value.is_displayed():
				return value.text.strip()
		return control.find_element(By.CSS_SELECTOR, "input, select, textarea").get_attribute("value")

	def doc_value(self, fieldname: str):
		return self.js("return cur_frm.doc[arguments[0]]", fieldname)

	def title(self) -> str:
		"""The page's title: a form's document name (frappe 16 shows it in the breadcrumbs)."""
		def find(driver):
			for css in (".page-head .title-text-form", ".page-head .title-text"):
				shown = [e for e in driver.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
				if shown:
					return shown[0].text
			return False

		return self.wait(find, "the page shows no title")

	def intro(self) -> tuple[str, str]:
		"""The form's intro message (frm.set_intro) and its colour."""
		return tuple(
			self.wait_js(
				"""const m = cur_frm.layout.message, block = m && m.find('.form-message').last();
				// frappe 15.14 kept the colour on the layout; later releases only as the block's class
				const colour = ['yellow', 'blue', 'red', 'green', 'orange'].find((c) => block.hasClass(c));
				return block && block.length && !m.hasClass('hidden') && block.text().trim()
					&& [block.text().trim(), colour || cur_frm.layout.message_color]""",
				"the form shows no intro",
			)
		)

	def wait_for_intro(self, text: str, timeout: float) -> tuple[str, str]:
		"""The intro once it reads `text` (a background job's end shows up after a while)."""
		self.wait(lambda d: self.intro()[0] == text, f"the form's intro never read {text!r}", timeout)
		return self.intro()

	def progress(self, title: str) -> tuple[int, str]:
		"""The percent and message of the form dashboard's progress bar `title`, once shown."""
		return tuple(
			self.wait_js(
				"""const chart = $(`.form-dashboard .progress-chart[title="${arguments[0]}"]:visible`);
				return chart.length && [parseInt(chart.find('.progress-bar')[0].style.width) || 0,
					chart.find('.progress-message').text().trim()]""",
				f"no progress bar {title!r} on the form",
				title,
			)
		)

	def indicator(self) -> str:
		return self.visible(".page-head .indicator-pill").text

	# fields

	def _input(self, fieldname: str, table: str | None = None, idx: int | None = None):
		"""The input the user types into: of the form, or of row `idx` of `table` opened as a form."""
		return self.wait_js(
			f"""const control = {self._fields(table, idx)}[arguments[0]];
			return control && control.$input && $(control.$input[0]).is(':visible') && control.$input[0]""",
			f"field {fieldname} is not on the page",
			fieldname,
		)

	def fieldtype(self, fieldname: str, table: str | None = None) -> str:
		doctype = self.js(
			"return arguments[0] ? cur_frm.fields_dict[arguments[0]].grid.doctype : cur_frm.doctype", table
		)
		return self.js("return frappe.meta.get_docfield(arguments[0], arguments[1]).fieldtype", doctype, fieldname)

	def set_field(self, fieldname: str, value, table: str | None = None, idx: int | None = None):
		"""Fill a field as a user would: type and pick a link from its dropdown, choose an option,
		tick a box, or type a value and leave the field; then wait until the document holds it.
		A late answer to an earlier change (an item's details, say) can overwrite a value just
		typed; then, like a user who sees it, type it again."""
		for _attempt in range(3):
			self._fill(self._input(fieldname, table, idx), self.fieldtype(fieldname, table), value)
			self.idle()
			try:
				# frappe 16 can take a while to fetch an item's details into the row
				self.wait(lambda d: self._holds(fieldname, value, table, idx), "", timeout=10)
				self.idle()
				if self._holds(fieldname, value, table, idx):
					return
			except TimeoutException:
				continue
		raise AssertionError(f"{fieldname} does not keep {value!r}")

	def _fill(self, element, fieldtype: str, value):
		"""What a user does with an input of `fieldtype`: pick a link from its dropdown, choose an
		option, tick a box, or type the value and leave the field."""
		if fieldtype == "Link":
			self._pick_link(element, str(value))
		elif fieldtype == "Select":
			Select(element).select_by_value(str(value))
		elif fieldtype == "Check":
			if element.is_selected() != bool(value):
				try:
					element.click()
				except ElementClickInterceptedException:
					# a row form still sliding open lays the field below over it: wait, as a user does
					self.js("arguments[0].scrollIntoView({block: 'center'})", element)
					self.idle()
					element.click()
		elif fieldtype == "Date":  # typed as the user's date format shows it; the document holds ISO
			self._type(element, self.js("return frappe.datetime.str_to_user(arguments[0])", str(value)))
			element.send_keys(Keys.ESCAPE)  # the date picker stays open over the fields below
			element.send_keys(Keys.TAB)
		else:
			self._type(element, str(value))
			element.send_keys(Keys.TAB)

	def _holds(self, fieldname: str, value, table: str | None, idx: int | None) -> bool:
		held = self.js(
			"""const [f, table, idx] = arguments;
			const doc = table ? cur_frm.doc[table][idx - 1] : cur_frm.doc;
			return doc[f]""",
			fieldname,
			table,
			idx,
		)
		if isinstance(value, bool) or isinstance(held, bool):
			return bool(held) == bool(value)
		if isinstance(value, int | float):
			return held is not None and float(held) == float(value)
		return held == value

	def _type(self, element, text: str):
		"""Replace the input's text with `text`. A field that the Desk re-renders just after it
		appeared (a row opened as a form) can drop the first keys, so type until it holds them."""
		for _attempt in range(3):
			try:
				element.click()
			except ElementClickInterceptedException:
				# a link list the Desk opened again on the field before (frappe 16) covers this
				# one: leave that field, as a user does, then click
				self.driver.switch_to.active_element.send_keys(Keys.TAB)
				self.idle()
				element.click()
			element.send_keys(Keys.CONTROL, "a")
			element.send_keys(text)
			try:
				return self.wait(lambda d: element.get_attribute("value") == text, "", timeout=3)
			except TimeoutException:
				continue
		raise AssertionError(f"the field does not take {text!r}")

	def _pick_link(self, element, value: str):
		self._type(element, value)

		def option(_driver):
			# frappe 15.14 lists the options as li, later releases as div[role=option]
			for li in element.find_elements(By.XPATH, "./following-sibling::ul/*[self::li or @role='option']"):
				if li.is_displayed() and li.text.split("\n")[0].strip() == value:
					return li
			return False

		# A search answered before the field settled (frappe 16's row form) leaves no list: type the
		# last character again, as a user does who sees none.
		for _attempt in range(3):
			try:
				choice = self.wait(option, "", timeout=10)
				break
			except TimeoutException:
				element.send_keys(Keys.BACK_SPACE)
				element.send_keys(value[-1])
		else:
			choice = self.wait(option, f"{value} is not offered in the dropdown")
		choice.click()
		self.idle()
		self.wait(lambda d: element.get_attribute("value") == value, f"{value} was not taken")
		# frappe 15.10x opens the list again on the focused field, over what lies below it (a
		# dialog's button): leave the field, as a user does who moves on
		if any(ul.is_displayed() for ul in element.find_elements(By.XPATH, "./following-sibling::ul")):
			element.send_keys(Keys.TAB)
			self.idle()

	# actions

	def save(self):
		self.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
		self.idle()

	def await_saved(self):
		return self.wait_js(
			"return cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty() && cur_frm.docname",
			"the form was not saved",
		)

	def primary_action(self, label: str):
		self.js("window.scrollTo(0, 0)")  # a page scrolled down slides its head under the navbar
		button = self.visible(".page-head .primary-action", f"no {label} button")
		self.wait(lambda d: button.text.strip() == label, f"the primary button is not {label}")
		button.click()

	def submit(self):
		self.primary_action("Submit")
		self.click_dialog_button("Yes")
		self.wait_js("return cur_frm.doc.docstatus === 1", "the document was not submitted")
		self.idle()

	def cancel(self):
		"""A submitted document's Cancel (frappe puts it in the secondary button), confirmed."""
		self.js("window.scrollTo(0, 0)")

		def button(driver):
			found = driver.find_elements(By.CSS_SELECTOR, ".page-head .page-actions button.btn-secondary")
			return next((b for b in found if b.is_displayed() and b.text.strip() == "Cancel"), False)

		self.wait(button, "no Cancel button").click()
		self.click_dialog_button("Yes")
		self.wait_js("return cur_frm.doc.docstatus === 2", "the document was not cancelled")
		self.idle()

	def click_custom_button(self, label: str, group: str | None = None):
		label_attr = quote(label, safe="")
		if group:
			self.visible(f'.page-actions .inner-group-button[data-label="{quote(group, safe="")}"] > button').click()
			self.visible(f'.page-actions .dropdown-menu .dropdown-item[data-label="{label_attr}"]').click()
		else:
			self.visible(f'.page-actions button[data-label="{label_attr}"]').click()

	def add_row(self, table: str) -> int:
		before = self.js("return cur_frm.doc[arguments[0]].length", table)
		added = "return cur_frm.doc[arguments[0]].length > arguments[1]"
		button = self.visible(f'.frappe-control[data-fieldname="{table}"] .grid-add-row')
		button.click()
		try:
			self.wait_js(added, "", table, before, timeout=5)
		except TimeoutException:
			# a click while the form was still settling went nowhere: click again, as a user would
			self.js("arguments[0].scrollIntoView({block: 'center'})", button)
			self.idle()
			button.click()
			self.wait_js(added, "no row was added", table, before)
		self.idle()
		return before + 1

	def open_row(self, table: str, idx: int):
		# A table re-renders its rows after a change; a click on a row being replaced is lost.
		for _attempt in range(3):
			self.idle()
			try:
				self.visible(
					f'.frappe-control[data-fieldname="{table}"] .grid-row[data-idx="{idx}"] .btn-open-row', f"no row {idx}"
				).click()
				self.visible(".grid-row-open .grid-form-body", timeout=5)
				break
			except (TimeoutException, ElementClickInterceptedException):  # the row closed before is still sliding up
				continue
		else:
			raise AssertionError(f"row {idx} of {table} does not open")
		self.idle()

	def close_row(self):
		self.visible(".grid-row-open .grid-collapse-row").click()
		self.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, ".grid-row-open"), "the row did not close")

	def fill_row(self, table: str, values: dict) -> int:
		"""Open the table's blank last row (a new form may start with one) or a new row, and fill
		`values` in order (the order a user would)."""
		first = next(iter(values))
		idx = self.js(
			"const rows = cur_frm.doc[arguments[0]]; return rows.length && !rows[rows.length - 1][arguments[1]] && rows.length",
			table,
			first,
		) or self.add_row(table)
		self.open_row(table, idx)
		for fieldname, value in values.items():
			self.set_field(fieldname, value, table, idx)
		self.close_row()
		return idx

	def grid_rows(self, table: str, fieldnames) -> list[dict]:
		"""What the table shows in its list columns, row by row (a Check shows as ticked or not)."""

		def cell(row, fieldname):
			col = row.find_element(By.CSS_SELECTOR, f'.grid-static-col[data-fieldname="{fieldname}"]')
			boxes = col.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
			if boxes:
				return "disabled-selected" in boxes[0].get_attribute("class")
			return col.text.strip()

		rows = self.driver.find_elements(
			By.CSS_SELECTOR, f'.frappe-control[data-fieldname="{table}"] .grid-body .grid-row[data-idx]'
		)
		return [{f: cell(row, f) for f in fieldnames} for row in rows if row.is_displayed()]

	# dialogs and messages

	def dialog(self, title: str | None = None, showing: str | None = None, timeout: float = TIMEOUT):
		"""The open dialog (with `title`, and showing an element that matches `showing`)."""

		def find(driver):
			for modal in reversed(driver.find_elements(By.CSS_SELECTOR, ".modal.show")):
				if (
					modal.is_displayed()
					and (title is None or modal.find_element(By.CSS_SELECTOR, ".modal-title").text.strip() == title)
					and (showing is None or modal.find_elements(By.CSS_SELECTOR, showing))
				):
					return modal
			return False

		return self.wait(find, f"no dialog {title or ''} opened", timeout)

	def set_dialog_field(self, fieldname: str, value: str):
		"""Fill a field of the open dialog (a prompt, say) as a user would."""
		element = self.wait_js(
			"""const control = window.cur_dialog && cur_dialog.fields_dict[arguments[0]];
			return control && $(control.$input[0]).is(':visible') && control.$input[0]""",
			f"the dialog has no field {fieldname}",
			fieldname,
		)
		if self.js("return cur_dialog.fields_dict[arguments[0]].df.fieldtype", fieldname) == "Link":
			self._pick_link(element, value)
		else:
			self._type(element, value)
		self.wait_js("return cur_dialog.get_value(arguments[0]) === arguments[1]", f"{fieldname} is not {value}", fieldname, value)

	def close_dialog(self):
		modal = self.dialog()
		modal.find_element(By.CSS_SELECTOR, ".modal-header .btn-modal-close").click()
		self.wait(lambda d: not modal.is_displayed(), "the dialog did not close")
		self.idle()

	def click_dialog_button(self, label: str):
		modal = self.dialog()
		for button in modal.find_elements(By.CSS_SELECTOR, ".modal-footer button"):
			if button.is_displayed() and button.text.strip() == label:
				button.click()
				self.idle()
				return
		raise AssertionError(f"the dialog has no {label} button")

	def toast(self, contains: str) -> str:
		"""The text of the toast (frappe.show_alert) that says `contains`."""

		def find(driver):
			for alert in driver.find_elements(By.CSS_SELECTOR, "#alert-container .alert"):
				if contains in alert.text:
					return alert.text
			return False

		return self.wait(find, f"no toast says {contains!r}")

	def click_link(self, fieldname: str):
		"""Open the document a Link field of the form names, by the arrow the field shows when the
		user clicks into it."""
		element = self._input(fieldname)
		element.click()
		wrapper = element.find_element(By.XPATH, "./ancestor::div[contains(@class, 'control-input')]")
		self.visible(".link-btn .btn-open", f"{fieldname} shows no link to open", within=wrapper).click()
		self.idle()

	def open_shown_link(self, fieldname: str):
		"""Open the document a read-only Link field shows, by clicking the name it shows."""
		control = self.wait_js(
			"const c = cur_frm.fields_dict[arguments[0]]; return c && $(c.wrapper).is(':visible') && c.wrapper",
			f"field {fieldname} is not shown",
			fieldname,
		)
		self.visible(".control-value a", f"{fieldname} shows no link", within=control).click()
		self.idle()

	# reports

	def open_report(self, name: str):
		self.go(f"query-report/{quote(name, safe='')}")
		self.wait_js(
			"return window.frappe && frappe.query_report && frappe.query_report.report_name === arguments[0] && !!frappe.query_report.filters",
			f"the report {name} did not open",
			name,
			timeout=60,
		)
		self.idle()

	def set_report_filter(self, fieldname: str, value):
		"""Fill a filter of the open report as a user would; the report refreshes by itself."""
		element = self.wait_js(
			"""const f = frappe.query_report.get_filter(arguments[0]);
			return f && f.$input && $(f.$input[0]).is(':visible') && f.$input[0]""",
			f"the report has no filter {fieldname}",
			fieldname,
		)
		self._fill(element, self.js("return frappe.query_report.get_filter(arguments[0]).df.fieldtype", fieldname), value)
		self.wait_js(
			"const v = frappe.query_report.get_filter_value(arguments[0]); return v == arguments[1]",
			f"the filter {fieldname} does not hold {value!r}",
			fieldname,
			value,
		)
		self.idle()

	def await_report_rows(self, until, message: str, timeout: float = 60) -> list[dict]:
		"""The report's rows once `until(rows)` holds: a refresh after a filter change comes a
		moment later."""
		found = []

		def check(_driver):
			found[:] = self.report_rows(timeout=timeout)
			return until(found)

		self.wait(check, message, timeout)
		return found

	def report_summary(self) -> dict[str, str]:
		"""The figures above the report's table, as {label: value text}, read in one script (the
		Desk may re-render them meanwhile)."""
		return self.wait_js(
			"""const items = $('.report-summary .summary-item:visible').toArray();
			return items.length && Object.fromEntries(items.map((i) =>
				[$(i).find('.summary-label').text().trim(), $(i).find('.summary-value').text().trim()]));""",
			"the report shows no summary",
		)

	def report_chart(self) -> dict:
		"""What the report's chart shows once its bars are drawn (they grow from zero): its text
		(axis labels) and the bars' heights."""
		return self.wait_js(
			"""const chart = $('.chart-wrapper .frappe-chart:visible')[0];
			const heights = chart ? [...chart.querySelectorAll('.dataset-units rect, rect.bar')].map(
				(bar) => parseFloat(bar.getAttribute('height')) || 0) : [];
			return heights.some((height) => height > 0) && {text: chart.textContent, heights: heights};""",
			"the report shows no chart with a bar above zero",
		)

	def click_report_link(self, text: str):
		"""Follow the link a report cell shows as `text`."""
		self.visible(".report-wrapper .datatable", "the report shows no table")
		for link in self.driver.find_elements(By.CSS_SELECTOR, ".report-wrapper .datatable .dt-scrollable a"):
			if link.is_displayed() and link.text.strip() == text:
				link.click()
				self.idle()
				return
		raise AssertionError(f"no link {text} in the report")

	def report_rows(self, timeout: float = 60) -> list[dict]:
		"""The rows a query report's table shows, as {column label: cell text}."""
		self.wait_js(
			"return !!(window.frappe && frappe.query_report && frappe.query_report.datatable) && !frappe.query_report.loading",
			"the report did not render",
			timeout=timeout,
		)
		self.idle()
		# Read in one script, so that a table the Desk re-renders meanwhile is never half read (and
		# read again while it is between two renders); a cell's whole text, as the table clips long
		# values with an ellipsis and scrolls sideways.
		return self.wait_js(
			"""const table = $('.report-wrapper .datatable:visible')[0];
			if (!table) return null;
			const text = (cell) => cell.textContent.trim();
			const headers = {};
			table.querySelectorAll('.dt-row-header .dt-cell').forEach((c) => (headers[c.dataset.colIndex] = text(c)));
			return {rows: [...table.querySelectorAll('.dt-scrollable .dt-row')].map((row) =>
				Object.fromEntries([...row.querySelectorAll('.dt-cell')].map((c) => [headers[c.dataset.colIndex], text(c)])))};""",
			"the report shows no table",
			timeout=timeout,
		)["rows"]


def amount(text: str) -> float:
	"""A currency cell as a number: '$ 2,250.00' -> 2250.0, '' -> 0."""
	digits = "".join(ch for ch in text if ch.isdigit() or ch in ".-")
	return float(digits) if digits not in ("", "-", ".") else 0.0

