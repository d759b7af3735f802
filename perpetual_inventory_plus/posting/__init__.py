"""Stock GL posting: ERPNext's stock vouchers post each stock row to its resolved account, and the
posting guard checks every voucher's GL against its stock ledger.

May import: settings, versions, accounts, migration.opened_receipts
"""
