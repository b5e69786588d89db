"""Discipline supervision (纪检监察): the problem-clue register (问题线索台账), each clue's
disposition in one of the four ways, and every step as an append-only event.

- ``Kind``: the 10 kinds of violations in prevention work (DOMAIN §5), dated versions.
- ``Clue``: one clue: its source, kind, the official it is about (被反映人 — an official, never
  a resident), the facts and the reporter's identity (both sealed under the discipline key,
  ``discipline/secrecy.py``), its state and deadlines.
- ``ClueEvent``: every change, with actor, time and note (sealed: a note may name people)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.Model):
    code = models.CharField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=60)
    epidemic = models.BooleanField(_("疫情防控类（第一时间查处）"), default=True)
    dispose_hours = models.PositiveSmallIntegerField(_("处置时限（小时）"), default=24)
    order = models.PositiveSmallIntegerField(_("排序"), default=50)
    is_active = models.BooleanField(_("启用"), default=True)
    effective_from = models.DateField(_("生效日期"))

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["order", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_kind_version")
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    TIPOFF = "tipoff", _("群众举报（热线、网络）")
    TRANSFER = "transfer", _("移送（领导小组、各单位）")
    IN_PERSON = "in_person", _("来访、来信")
    SYSTEM = "system", _("系统发现")


class State(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    PROPOSED = "proposed", _("处置待审批")
    INQUIRY = "inquiry", _("谈话函询")
    VERIFYING = "verifying", _("初步核实")
    HELD = "held", _("暂存待查")
    CASE = "case", _("立案审查调查")
    CLOSED = "closed", _("已了结")
    FORWARDED = "forwarded", _("已移交上级")


class Disposition(models.TextChoices):
    """The four ways of disposing of a clue (监督执纪工作规则)."""

    INQUIRY = "inquiry", _("谈话函询")
    VERIFY = "verify", _("初步核实")
    HOLD = "hold", _("暂存待查")
    CLOSE = "close", _("予以了结")


class ReplyHow(models.TextChoices):
    """How a real-name reporter was told of acceptance or of the result."""

    PHONE = "phone", _("电话告知")
    LETTER = "letter", _("书面告知")
    IN_PERSON = "in_person", _("当面告知")
    WORK_ORDER = "work_order", _("举报工单答复（凭受理编号和查询码查看）")


class Clue(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("线索编号"), max_length=20, unique=True)
    # The office that handles it: the district's, or a sub-district's (街道纪工委).
    region_code = models.CharField(max_length=15)
    source = models.CharField(_("来源"), max_length=15, choices=Source.choices)
    # A tip-off's work order (its reporter channel), or a system rule's key for these facts.
    work_order_id = models.UUIDField(null=True, blank=True, unique=True)
    rule_key = models.CharField(max_length=120, blank=True)
    kind = models.ForeignKey(Kind, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind_code = models.CharField(_("问题类别"), max_length=30)
    subject_name = models.CharField(_("被反映人"), max_length=60, blank=True)
    subject_post = models.CharField(_("职务"), max_length=60, blank=True)
    subject_unit = models.CharField(_("单位"), max_length=100, blank=True)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("对应系统账号"),
    )
    facts_enc = models.TextField()  # sealed under the discipline key
    reporter_enc = models.TextField(blank=True)  # {"name", "phone"} sealed; "" when anonymous
    transfer_reason = models.TextField(_("移送理由"), blank=True)
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    state = models.CharField(
        _("状态"), max_length=15, choices=State.choices, default=State.REGISTERED
    )
    dispose_due_at = models.DateTimeField(_("处置期限"))
    ack_due_on = models.DateField(_("告知受理期限"), null=True, blank=True)  # real-name reporter
    acknowledged_on = models.DateField(_("告知受理日期"), null=True, blank=True)
    result_informed_on = models.DateField(_("告知结果日期"), null=True, blank=True)
    # A cadre managed by a higher level: forwarded up within 5 working days (管辖).
    higher_managed = models.BooleanField(_("属上级管理干部"), default=False)
    forward_due_on = models.DateField(_("移交期限"), null=True, blank=True)
    forwarded_to = models.CharField(_("移交机关"), max_length=60, blank=True)
    proposal = models.CharField(
        _("处置意见"), max_length=10, choices=Disposition.choices, blank=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disposition = models.CharField(
        _("处置方式"), max_length=10, choices=Disposition.choices, blank=True
    )
    disposed_at = models.DateTimeField(null=True, blank=True)
    inquiry_due_on = models.DateField(_("函询回复期限"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue = models.BooleanField(default=False)  # a step past its time (marked once)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["region_code", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_key"], condition=~models.Q(rule_key=""), name="uniq_clue_rule_key"
            )
        ]

    def __str__(self) -> str:
        return self.number


class ClueEvent(models.Model):
    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="events")
    region_code = models.CharField(max_length=15)
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=15, blank=True)
    to_state = models.CharField(max_length=15, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    actor_label = models.CharField(max_length=60, blank=True)
    at = models.DateTimeField(default=timezone.now)
    note_enc = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class NumberSequence(models.Model):
    """The register's running number per office and year (XS-2020-0001)."""

    region_code = models.CharField(max_length=15)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year"], name="uniq_clue_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.region_code}/{self.year}: {self.last}"


class RevealState(models.TextChoices):
    ASKED = "asked", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class RevealRequest(models.Model):
    """A request to see a clue's reporter (the custodian rule): a purpose, a leader's decision
    (never the requester's own), and then one reading by the requester, logged."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="reveals")
    region_code = models.CharField(max_length=15)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.TextField(_("用途"))
    asked_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        _("状态"), max_length=10, choices=RevealState.choices, default=RevealState.ASKED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("查看反映人身份申请")
        verbose_name_plural = _("查看反映人身份申请")
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"{self.clue_id} {self.state}"


class SanctionGroup(models.TextChoices):
    EDUCATION = "education", _("批评教育")
    ORGANISATIONAL = "organisational", _("组织处理")
    PARTY = "party", _("党纪处分")
    GOVERNMENT = "government", _("政务处分")


class Sanction(models.Model):
    """The sanctions and organisational measures a case may end with (a dated list)."""

    code = models.CharField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=30)
    group = models.CharField(_("类别"), max_length=15, choices=SanctionGroup.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=50)
    is_active = models.BooleanField(_("启用"), default=True)
    effective_from = models.DateField(_("生效日期"))

    class Meta:
        verbose_name = _("处理处分种类")
        verbose_name_plural = _("处理处分种类")
        ordering = ["order", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_sanction_version")
        ]

    def __str__(self) -> str:
        return self.name


class Responsibility(models.TextChoices):
    DIRECT = "direct", _("直接责任")
    MAIN_LEADER = "main_leader", _("主要领导责任")
    IMPORTANT_LEADER = "important_leader", _("重要领导责任")


class CaseState(models.TextChoices):
    INVESTIGATING = "investigating", _("审查调查中")
    DECISION_PROPOSED = "proposed", _("处理意见待审批")
    DECIDED = "decided", _("已作出处理决定")


class Case(models.Model):
    """A case opened on a verified clue (立案审查调查): its steps, then the decision — the
    sanction, the level of responsibility and the deciding body — proposed by one officer and
    approved by a leader of the office."""

    clue = models.OneToOneField(Clue, on_delete=models.PROTECT, related_name="case")
    number = models.CharField(_("立案编号"), max_length=24, unique=True)
    region_code = models.CharField(max_length=15)
    opened_at = models.DateTimeField(_("立案时间"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    due_on = models.DateField(_("审查调查期限"))
    state = models.CharField(
        _("状态"), max_length=15, choices=CaseState.choices, default=CaseState.INVESTIGATING
    )
    sanction = models.ForeignKey(
        Sanction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsibility = models.CharField(
        _("责任类型"), max_length=20, choices=Responsibility.choices, blank=True
    )
    finding_enc = models.TextField(blank=True)  # the facts found, sealed
    deciding_body = models.CharField(_("决定机关"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.number


class StepKind(models.TextChoices):
    TALK = "talk", _("谈话")
    QUESTION = "question", _("询问、询问笔录")
    EVIDENCE = "evidence", _("调取书证、资料")
    SITE = "site", _("现场核查")
    HEARING = "hearing", _("听取被审查调查人陈述申辩")
    OTHER = "other", _("其他")


class CaseStep(models.Model):
    """One investigation step with its document (文书) — append-only."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("措施"), max_length=10, choices=StepKind.choices)
    on = models.DateField(_("日期"))
    document = models.CharField(_("文书名称及编号"), max_length=120, blank=True)
    note_enc = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.on}"


class RuleSetting(models.Model):
    """A dated version of a system rule's threshold (``core/cluerules.py``); without one the
    rule's own default holds."""

    rule_key = models.CharField(_("规则"), max_length=60)
    threshold = models.PositiveIntegerField(_("阈值"))
    window_days = models.PositiveSmallIntegerField(_("统计天数"))
    is_active = models.BooleanField(_("启用"), default=True)
    effective_from = models.DateField(_("生效日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("系统发现规则阈值")
        verbose_name_plural = _("系统发现规则阈值")
        ordering = ["rule_key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_key", "effective_from"], name="uniq_rule_setting_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_key} ≥{self.threshold}/{self.window_days}d"


class RuleRun(models.Model):
    """The last day each rule was evaluated for: a scheduler that was down catches up from
    here, each day once."""

    rule_key = models.CharField(max_length=60, unique=True)
    last_day = models.DateField()

    def __str__(self) -> str:
        return f"{self.rule_key} {self.last_day}"
