"""Self-registration (自主申报): QR links, the public form, the community's queue."""
