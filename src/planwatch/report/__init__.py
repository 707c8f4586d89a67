"""Report: ledger workbooks, bulletins and evaluation reports rendered from store records."""
