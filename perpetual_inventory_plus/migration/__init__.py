"""Migration from periodic to perpetual inventory: the plan (dry run), its one-transaction execute,
the bench command, the patch's approved runs, and the freeze of stock up to the cutover.

May import: settings, versions, accounts
"""
