"""SRBNB reconciliation: what every unit of Stock Received But Not Billed is, per receipt row and
voucher, as a report, stored runs and the daily job.

May import: settings, versions, notifications
"""
