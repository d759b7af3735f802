"""Reclassification: a change of where stock is accounted (a rule, a warehouse's account or parent,
the company default, an item's group, the company's switch) moves the stock on hand to its new
account in one voucher; changes without one are refused; the balance check and its report.

May import: settings, versions, notifications, accounts
"""
