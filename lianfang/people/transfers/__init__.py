"""Transfers between communities (人员转移): proposals, requests and their decisions."""
