"""Tip-offs and the hotline: public and operator intake, work orders routed to the unit that must
act, signed for, answered and followed up (举报受理与热线工单)."""
