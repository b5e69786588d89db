"""Medical observation (医学观察) and health monitoring.

- ``Policy``: the dated rules (length, start basis, fever threshold, slots, symptoms, grace, …).
  A new version is a new row; a quarantine keeps the version it started under.
- ``Quarantine``: one household's (or one person's) observation, home or centralised; its members
  share one end date. ``Observation`` is one person's part in it, with its own state.
- ``HealthCheck``: append-only readings; a correction is a new row pointing at the one it corrects.
- ``Alert``: fever, symptom or missed check, acknowledged and closed with the action taken.
- ``Referral``: to a fever clinic (``Hospital``), with its outcome.
- ``ExitRequest``: an emergency outing (外出报备), notified 2 hours ahead.
- ``Event``: every state change with actor, time, reason and evidence (who reached whom, how).

The models live in ``observation`` (policies, sites, quarantines) and ``followup`` (checks,
alerts, referrals, exits, events); everything is importable from here."""

from lianfang.monitoring.models.followup import (
    Alert,
    AlertKind,
    AlertLevel,
    AlertStatus,
    CheckSource,
    Event,
    EventKind,
    ExitRequest,
    ExitStatus,
    HealthCheck,
    Method,
    Referral,
    ReferralOutcome,
    Reminder,
    cached_policy,
)
from lianfang.monitoring.models.observation import (
    DEFAULT_SLOTS,
    DEFAULT_SYMPTOMS,
    Hospital,
    Kind,
    Observation,
    ObservationStatus,
    Policy,
    Quarantine,
    QuarantineStatus,
    Room,
    Site,
    StartBasis,
)

__all__ = [
    "DEFAULT_SLOTS",
    "DEFAULT_SYMPTOMS",
    "Alert",
    "AlertKind",
    "AlertLevel",
    "AlertStatus",
    "CheckSource",
    "Event",
    "EventKind",
    "ExitRequest",
    "ExitStatus",
    "HealthCheck",
    "Hospital",
    "Kind",
    "Method",
    "Observation",
    "ObservationStatus",
    "Policy",
    "Quarantine",
    "QuarantineStatus",
    "Referral",
    "ReferralOutcome",
    "Reminder",
    "Room",
    "Site",
    "StartBasis",
    "cached_policy",
]
