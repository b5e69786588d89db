"""Kernel jobs. Apps register their own scheduled jobs in their ``jobs.py`` (imported in
``AppConfig.ready``)."""
