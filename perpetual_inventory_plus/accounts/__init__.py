"""Account resolution: the inventory account of (company, item, warehouse) from rules, the warehouse
tree and the company default, with its trace; rules, warehouse accounts and Create Account Under.

May import: settings, versions
"""
