"""Writing a benchmark's history straight into ERPNext's tables: submitting hundreds of thousands
of documents one by one would take hours and measure ERPNext, not the code being timed."""

import frappe


def insert_rows(table: str, columns: list[str], rows: list[tuple], batch: int = 5000) -> None:
	"""Multi-row inserts of `batch` rows each."""
	for start in range(0, len(rows), batch):
		chunk = rows[start : start + batch]
		placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
		frappe.db.sql(
			f"insert into `{table}` ({', '.join(f'`{c}`' for c in columns)}) values {placeholders}",
			[value for row in chunk for value in row],
		)
