"""The registry proper: people, households, moves, screening registrations and key areas
(摸底排查登记). ID numbers and phones are stored encrypted (``*_enc``), with a blind index
(``*_bidx``) for exact lookup and a stored mask (``*_masked``) for display: lists never decrypt."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianfang.core.indexes import EqualityIndex
from lianfang.core.scoping import ScopedQuerySet


class DocType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    OTHER = "other", _("其他证件")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")
    UNKNOWN = "", _("未知")


class Household(models.Model):
    """The people at one address (a unit/room in a building)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15, db_index=True)
    address = models.CharField(_("门牌/房号"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        constraints = [
            models.UniqueConstraint(fields=["region", "address"], name="uniq_household_address")
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.address}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    MERGED = "merged", _("已合并")


def by_document(doc_type: str, bidx: str) -> Q:
    """Active persons with this document: the terms of the partial unique index
    ``uniq_active_person_document`` spelled out, so that both databases use it (SQLite uses a
    partial index only when the query repeats its WHERE terms)."""
    return Q(status=PersonStatus.ACTIVE, doc_type=doc_type, id_number_bidx=bidx) & ~Q(
        id_number_bidx=""
    )


def by_phone(bidx: str) -> Q:
    """Persons with this phone (blind index): the partial index's term repeated (see
    ``by_document``); an empty key finds nobody."""
    return Q(phone_bidx=bidx) & ~Q(phone_bidx="")


def by_name_birth(key: str) -> Q:
    """Persons with this pinyin name and birth date (``names.name_birth_key``), as ``by_phone``."""
    return Q(name_birth_key=key) & ~Q(name_birth_key="")


class PersonQuerySet(ScopedQuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        return self.filter(status=PersonStatus.ACTIVE)


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    full_name = models.CharField(_("姓名"), max_length=50)
    # Searched by prefix together with "name contains", which no index serves: unindexed, so
    # imports do not pay for two indexes no read uses (ADR 0005).
    name_pinyin = models.CharField(max_length=120, blank=True)
    name_initials = models.CharField(max_length=20, blank=True)
    # pinyin|birth date: finds "same name and birth date" duplicate candidates with one index.
    # The keys are indexed in Meta (db_index=True would add a LIKE index on PostgreSQL that no
    # query uses and every import pays for).
    name_birth_key = models.CharField(max_length=140, blank=True)
    doc_type = models.CharField(
        _("证件类型"), max_length=20, choices=DocType.choices, default=DocType.RESIDENT_ID
    )
    id_number_enc = models.TextField(blank=True)
    # Blind indexes are 32 hex digits (crypto.blind_index); the columns allow the former 64.
    # Looked up through the unique index below only (see by_document): one index less to write.
    id_number_bidx = models.CharField(max_length=64, blank=True)
    id_number_masked = models.CharField(_("证件号码"), max_length=40, blank=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone_enc = models.TextField(blank=True)
    phone_bidx = models.CharField(max_length=64, blank=True)
    phone_masked = models.CharField(_("电话"), max_length=20, blank=True)
    # Reads go through region_code (indexed with created_at below), so the FK needs no index.
    # Protected by the ORM (regions are deactivated, never deleted while people live there), not
    # by the database: PostgreSQL checks a deferred constraint at commit with a lookup and a row
    # lock per person, a tenth of a large import's time (ADR 0010).
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("住址区域"),
        db_index=False,
        db_constraint=False,
    )
    region_code = models.CharField(max_length=15)
    address = models.CharField(_("门牌/房号"), max_length=100, blank=True)
    # Indexed in Meta for the persons who have a household only: imported persons have none
    # until a worker places them, and an index entry per imported person is an import's cost.
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        db_index=False,
    )
    workplace = models.CharField(_("工作单位/职业"), max_length=100, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    status = models.CharField(
        max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    # Rarely filtered on: no index (every index slows large imports).
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    # Who: users are never deleted (PROTECT, deactivation), and a database constraint here
    # costs every imported row a check at commit (ADR 0008).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["-created_at"]
        constraints = [
            # The blind index first: it tells entries apart at the first column (every document
            # type but a few is a resident ID), so each insert compares one value, not two.
            models.UniqueConstraint(
                fields=["id_number_bidx", "doc_type"],
                condition=Q(status="active") & ~Q(id_number_bidx=""),
                name="uniq_active_person_document",
            )
        ]
        indexes = [
            models.Index(fields=["region_code", "created_at"]),
            # Equality only, empty keys left out (``by_name_birth``, ``by_phone``).
            EqualityIndex(
                fields=["name_birth_key"],
                name="person_name_birth_key",
                condition=~Q(name_birth_key=""),
            ),
            EqualityIndex(
                fields=["phone_bidx"], name="person_phone_bidx", condition=~Q(phone_bidx="")
            ),
            models.Index(
                fields=["household"],
                name="person_household",
                condition=Q(household__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} {self.id_number_masked}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class PersonMove(models.Model):
    """History of a person's address and household: never edited."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="moves")
    from_region_code = models.CharField(max_length=15)
    to_region_code = models.CharField(max_length=15)
    from_address = models.CharField(max_length=100, blank=True)
    to_address = models.CharField(max_length=100, blank=True)
    from_household = models.UUIDField(null=True, blank=True)
    to_household = models.UUIDField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_region_code} → {self.to_region_code}"


class Source(models.TextChoices):
    DOOR_TO_DOOR = "door_to_door", _("入户排查")
    SELF = "self", _("自主申报")
    CHECKPOINT = "checkpoint", _("卡口移交")
    IMPORT = "import", _("名单导入")
    HOTLINE = "hotline", _("热线")
    TRANSFER = "transfer", _("转入")
    CONTACT_TRACING = "contact_tracing", _("密接追踪")


class Transport(models.TextChoices):
    TRAIN = "train", _("火车")
    FLIGHT = "flight", _("飞机")
    BUS = "bus", _("客车")
    CAR = "car", _("自驾")
    OTHER = "other", _("其他")


class CaseStatus(models.TextChoices):
    NONE = "", _("无")
    SUSPECTED = "suspected", _("疑似病例")
    CONFIRMED = "confirmed", _("确诊病例")


class HealthCode(models.TextChoices):
    NONE = "", _("未出示")
    GREEN = "green", _("绿码")
    YELLOW = "yellow", _("黄码")
    RED = "red", _("红码")


class RiskCategory(models.TextChoices):
    CONFIRMED = "confirmed", _("确诊病例")
    SUSPECTED = "suspected", _("疑似病例")
    CLOSE_CONTACT = "close_contact", _("密切接触者")
    FEVER = "fever", _("发热患者")
    KEY_AREA_ARRIVAL = "key_area_arrival", _("重点地区来返人员")
    GENERAL = "general", _("一般人员")


class Verification(models.TextChoices):
    VERIFIED = "verified", _("已核实")
    TO_VERIFY = "to_verify", _("待核实")
    REJECTED = "rejected", _("已驳回")


class Registration(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Protected by the ORM (persons are never deleted; a merge keeps the row), not by the
    # database: its check is a person lookup (and on PostgreSQL a row lock) for every
    # registration, a large share of a bulk import's time (ADR 0009).
    # Indexed through the (person, import_key) unique index below, which leads with the person.
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="registrations",
        db_constraint=False,
        db_index=False,
    )
    region_code = models.CharField(max_length=15)  # leads the (region_code, …) index below
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    origin_code = models.CharField(_("来源地"), max_length=6, blank=True)
    departure_date = models.DateField(_("离开来源地日期"), null=True, blank=True)
    arrival_date = models.DateField(_("到达日期"), null=True, blank=True)
    transport = models.CharField(
        _("交通方式"), max_length=10, choices=Transport.choices, blank=True
    )
    transport_number = models.CharField(_("车次/航班/车牌"), max_length=30, blank=True)
    companions = models.ManyToManyField(Person, blank=True, related_name="accompanied")
    contact_with_cases = models.BooleanField(_("接触过病例"), default=False)
    case_status = models.CharField(
        _("病例状态"), max_length=10, choices=CaseStatus.choices, blank=True
    )
    symptoms = models.JSONField(_("症状"), default=list, blank=True)
    health_code = models.CharField(
        _("健康码"), max_length=10, choices=HealthCode.choices, blank=True
    )
    risk_computed = models.CharField(max_length=20, choices=RiskCategory.choices)
    # Filtered with region_code: the (region_code, risk_category) index below serves it.
    risk_category = models.CharField(_("风险类别"), max_length=20, choices=RiskCategory.choices)
    risk_override_reason = models.CharField(max_length=200, blank=True)
    risk_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    verification = models.CharField(
        _("核实状态"), max_length=10, choices=Verification.choices, default=Verification.VERIFIED
    )
    # Imports: a hash of the row's identifying answers (128 bits, 32 hex digits), so the same row
    # imported twice (from the same or another file) adds nothing the second time. Unique per
    # person through Meta: the answers include the ID number, so a key belongs to one person;
    # one index then serves both the person's registrations and this check (ADR 0010). NULL: not
    # imported.
    import_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    registered_by = models.ForeignKey(  # no database constraint: see Person.created_by
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("排查登记")
        verbose_name_plural = _("排查登记")
        indexes = [models.Index(fields=["region_code", "risk_category"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "import_key"], name="uniq_registration_person_import_key"
            )
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.registered_at) if self.registered_at else None
        return (
            f"{self.get_source_display()} {when:%Y-%m-%d}"
            if when
            else str(self.get_source_display())
        )

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}


class KeyArea(models.Model):
    """A key area (重点地区) for a period: arrivals from it in the period are key-area arrivals."""

    code = models.CharField(_("区划代码"), max_length=6)
    name = models.CharField(_("名称"), max_length=100)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    region_code = models.CharField(max_length=15, db_index=True)  # whose list (a district)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "code"]
        verbose_name = _("重点地区")
        verbose_name_plural = _("重点地区")

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from}–{self.valid_to or ''}"

    def get_additional_data(self) -> dict[str, str]:
        return {"region_code": self.region_code}
