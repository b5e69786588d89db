"""How people reach the registry other than by a worker's form: self-registration links and
reports, list imports (jobs, rows, batches, saved mappings) and the duplicate candidates they
raise."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianfang.core.scoping import ScopedQuerySet
from lianfang.people.models.registry import Person


class SelfRegistrationLink(models.Model):
    """A community's public self-registration link (printed as a QR poster). The token is random;
    a new one can be issued and the old one disabled."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15, db_index=True)
    token = models.CharField(max_length=40, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.region_code} link"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class SelfReportStatus(models.TextChoices):
    PENDING = "pending", _("待核实")
    ACCEPTED = "accepted", _("已核实入档")
    REJECTED = "rejected", _("已驳回")


class SelfReport(models.Model):
    """An arrival's own submission from the public page, waiting for the community to verify it.
    The answers are kept encrypted until accepted (then they live in the registry) or rejected
    (then they are erased)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    link = models.ForeignKey(SelfRegistrationLink, on_delete=models.PROTECT, related_name="reports")
    region_code = models.CharField(max_length=15, db_index=True)
    payload_enc = models.TextField(blank=True)
    name_masked = models.CharField(max_length=50)
    id_number_masked = models.CharField(max_length=40)
    phone_masked = models.CharField(max_length=20)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=SelfReportStatus.choices, default=SelfReportStatus.PENDING
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.name_masked} {self.status}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("待确认列")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ImportJob(models.Model):
    """One uploaded arrival list and its progress. Rows are processed in batches; each batch
    commits its persons, registrations and outcomes together, so a killed import resumes where it
    stopped and a re-run reaches the same end state."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region_code = models.CharField(max_length=15, db_index=True)  # the importer's territory
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    file_path = models.CharField(max_length=300)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    mapping = models.JSONField(default=dict, blank=True)  # field → header text (saved mappings)
    # The header row (1-based, the last one of a header of several rows) and field → column
    # index, as the worker confirmed them in the mapping step; else found from the content.
    header_row = models.PositiveIntegerField(null=True, blank=True)
    columns = models.JSONField(default=dict, blank=True)
    # What the import decided on its own, for the worker: the header row taken, the year given to
    # dates written without one (``imports.notes_text``).
    notes = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(_("试运行"), default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    error = models.CharField(max_length=300, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # blank, subtotal and footer rows
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} {self.status}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class RowOutcome(models.TextChoices):
    CREATED = "created", _("新建")
    LINKED = "linked", _("关联已有人员")
    UPDATED = "updated", _("更新")
    QUEUED = "queued", _("待分派")
    REJECTED = "rejected", _("拒绝")
    SKIPPED = "skipped", _("跳过（非人员行）")


class ImportRow(models.Model):
    """The outcome of one row of an import (append-only; unique per job and row)."""

    # (job, row_number) is unique, so that index serves the job's rows.
    # Written only by the import of its job; deleted with it by the ORM (CASCADE): no database
    # constraint, which would be checked for every row at commit.
    job = models.ForeignKey(
        ImportJob,
        on_delete=models.CASCADE,
        related_name="rows",
        db_index=False,
        db_constraint=False,
    )
    row_number = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=RowOutcome.choices)
    reasons = models.CharField(max_length=300, blank=True)
    # Never read by person (outcomes are read by job) and persons are never deleted (a merge
    # keeps the row): no index and no database constraint, each of which would cost every
    # imported row a random probe or insert into the largest index of the registry (ADR 0008).
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    payload_enc = models.TextField(blank=True)  # queued rows only: the answers, until routed

    class Meta:
        ordering = ["job", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "row_number"], name="uniq_import_row")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.row_number} {self.outcome}"


class ImportBatch(models.Model):
    """The rows of one batch of an import that were created or linked without a remark, as
    row-number ranges (``rowranges``): one record per batch, not one ``ImportRow`` per row, which
    cost a large import a tenth of its time (ADR 0009). Rows with a remark (queued, rejected,
    already imported) keep their ``ImportRow``; ``imports.selectors.row_outcomes`` reads both."""

    # Written only by the import of its job and deleted with it (CASCADE by the ORM). Checked by
    # the database too: one row per batch of 20,000 rows costs the import nothing (ADR 0015).
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="batches")
    created_rows = models.TextField(blank=True)
    linked_rows = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.job_id} batch {self.pk}"


class DuplicateCandidate(models.Model):
    """Two active persons who may be the same (same phone, or same name and birth date)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region_code = models.CharField(max_length=15, db_index=True)
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=30)
    status = models.CharField(max_length=20, default="open")  # open | merged | not_duplicate
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="uniq_duplicate_pair")
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.reason})"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class SavedMapping(models.Model):
    """A named column mapping (field → header text) for lists that arrive in the same layout."""

    region_code = models.CharField(max_length=15, db_index=True)
    name = models.CharField(_("名称"), max_length=60)
    mapping = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "name"], name="uniq_mapping_name")
        ]

    def __str__(self) -> str:
        return self.name
