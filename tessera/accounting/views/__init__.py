"""The web UI of accounting: ledger set-up, fiscal years and periods, journal entries.
(Report screens are in views/reports.py, mounted by report_urls.py.)"""
