"""What the workspace stores. Evidence records keep the shape of par_score's evidence model: one row per record of
an evidence file (a document, a metric, a không phát sinh declaration, a survey value, a giải trình), its fields as
that record's JSON; an agency's records form its part of the campaign's bundle, the campaign itself the header part.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from par_score.evidence.model import SECTIONS
from par_score.vocabulary import UNIT_LEVEL_NAMES

SECTION_LABELS = {
    "documents": "Văn bản",
    "metrics": "Số liệu",
    "not_applicable": "Không phát sinh",
    "not_achieved": "Không đạt",
    "survey": "Điều tra (xem trước)",
    "explanations": "Giải trình",
    "statistics": "Số liệu thống kê",
}
assert tuple(SECTION_LABELS) == SECTIONS
UNIT_LEVELS = list(UNIT_LEVEL_NAMES.items())


class StoredFile(models.Model):
    """An attached file, stored once by its sha256 under the data folder (kho/files/<sha256>.<ext>)."""

    sha256 = models.CharField("mã băm SHA-256", max_length=64, unique=True)
    extension = models.CharField("đuôi tệp", max_length=10)
    content_type = models.CharField("loại nội dung", max_length=100)
    size = models.BigIntegerField("dung lượng (byte)")
    original_name = models.CharField("tên tệp gốc", max_length=255)
    created_at = models.DateTimeField("lúc tải lên", default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    @property
    def relative_path(self) -> str:
        """The path an evidence record gives for this file, relative to the store (and to an exported bundle)."""
        return f"files/{self.sha256}.{self.extension}"

    def __str__(self) -> str:
        return self.original_name


class Campaign(models.Model):
    """One unit's self-assessment for one year against one catalogue: the header part of the bundle."""

    name = models.CharField("tên chiến dịch", max_length=200)
    unit_code = models.CharField("mã đơn vị", max_length=80)
    unit_name = models.CharField("tên đơn vị", max_length=500)
    unit_level = models.CharField("cấp đơn vị", max_length=10, choices=UNIT_LEVELS, default="tinh")
    year = models.PositiveSmallIntegerField("năm đánh giá")
    catalogue_id = models.CharField("danh mục tiêu chí", max_length=200)
    catalogue_file = models.ForeignKey(
        StoredFile, verbose_name="tệp danh mục", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_profile = models.CharField("loại đơn vị", max_length=60, blank=True)  # catalogues with unit profiles
    unit_cluster = models.CharField("khối xếp hạng", max_length=60, blank=True)  # when its profile does not decide it
    deadline = models.DateTimeField("hạn nộp")
    report = models.JSONField("thông tin báo cáo", default=dict, blank=True)  # the `report` section, stored data
    version = models.PositiveIntegerField(default=1)  # optimistic lock of the campaign's own fields
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one campaign (the Sở Nội vụ administrators are superusers and need none)."""

    AGENCY = "agency"
    AUDITOR = "auditor"
    APPRAISER = "appraiser"
    ROLES = [
        (AGENCY, "cán bộ cơ quan (nhập tài liệu)"),
        (AUDITOR, "kiểm tra viên (chỉ đọc)"),
        (APPRAISER, "thành viên hội đồng thẩm định"),
    ]

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("vai trò", max_length=20, choices=ROLES)
    agency = models.CharField("cơ quan", max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="one_role_per_campaign")]
        ordering = ["agency", "user__username"]


class AgencyPart(models.Model):
    """One agency's part of a campaign: its records, its submission and its lock."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="parts")
    agency = models.CharField("cơ quan", max_length=300)
    position = models.PositiveSmallIntegerField(default=0)  # the catalogue's order of agencies
    submitted_at = models.DateTimeField("lúc nộp", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extended_until = models.DateTimeField("gia hạn đến", null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)  # bumped by every change of the part or its records

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "agency"], name="one_part_per_agency")]
        ordering = ["campaign", "position"]

    def __str__(self) -> str:
        return self.agency

    @property
    def deadline(self) -> dt.datetime:
        return self.extended_until or self.campaign.deadline

    def lock_reason(self, now: dt.datetime | None = None) -> str | None:
        """Why the part cannot be changed now (submitted, or past its deadline), or None when it can."""
        if self.submitted_at is not None:
            return "phần của cơ quan đã nộp; chỉ quản trị viên Sở Nội vụ mở lại được"
        if (now or timezone.now()) > self.deadline:
            local = timezone.localtime(self.deadline)
            return f"đã quá hạn nộp ({local:%H:%M ngày %d/%m/%Y}); liên hệ Sở Nội vụ để được gia hạn"
        return None


class Record(models.Model):
    """One evidence record of an agency's part (or, without a part, of what the administrator enters for the whole
    campaign: statistics, the inputs of bonus and deduction items): `data` is the record as an evidence file holds it
    (JSON: decimals as exact text, dates ISO), validated by par_score's evidence model before it is stored."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="records")
    part = models.ForeignKey(AgencyPart, null=True, blank=True, on_delete=models.CASCADE, related_name="records")
    section = models.CharField("loại bản ghi", max_length=20, choices=list(SECTION_LABELS.items()))
    key = models.CharField("khóa", max_length=200)  # document id, indicator, criterion code or survey item
    data = models.JSONField("nội dung")
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)  # optimistic lock: a save names the version it started from
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "section", "key"], name="one_record_per_key")]
        ordering = ["part", "section", "id"]

    def __str__(self) -> str:
        return f"{SECTION_LABELS[self.section]} {self.key}"

    @property
    def owner(self) -> str:
        """The agency whose record it is ("" for the campaign's own records)."""
        return self.part.agency if self.part_id else ""


class Change(models.Model):
    """One entry of a change log: who changed what, when, from what to what.

    Written only by par_score.web.workspace.history.log_change, in the transaction of the change itself. Entries form
    hash chains (one per campaign, one for the workspace's accounts): `seq` numbers an entry in its chain, `hash` is
    the sha256 of its content and of `prev_hash`, the hash of the entry before it; `seal` is that hash signed with
    the workspace's log key (a file in the data folder, not in the database). `target` names the object changed
    ("record:12"), whose state `after` is (or `before`, for a deletion): par_score.web.workspace.chain verifies both.
    """

    ACTIONS = [
        ("create", "thêm bản ghi"),
        ("update", "sửa bản ghi"),
        ("delete", "xóa bản ghi"),
        ("import", "nhập từ tệp"),
        ("submit", "nộp"),
        ("reopen", "mở lại"),
        ("campaign", "sửa thông tin chiến dịch"),
        ("member", "tài khoản"),
        ("account", "tài khoản (ngoài chiến dịch)"),
        ("run", "chấm điểm"),
        ("appraisal", "giai đoạn thẩm định"),
        ("points", "điểm thẩm định"),
        ("reply", "giải trình thẩm định"),
    ]

    campaign = models.ForeignKey(Campaign, null=True, on_delete=models.CASCADE, related_name="changes")
    chain = models.CharField(max_length=40, default="")  # "campaign:<id>" or "workspace"
    seq = models.PositiveBigIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150)  # kept when the account is removed
    action = models.CharField(max_length=20, choices=ACTIONS)
    agency = models.CharField(max_length=300, blank=True)
    section = models.CharField(max_length=20, blank=True)
    key = models.CharField(max_length=200, blank=True)
    target = models.CharField(max_length=60, blank=True)
    record = models.ForeignKey(Record, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    prev_hash = models.CharField(max_length=64, default="")
    hash = models.CharField(max_length=64, default="")
    seal = models.CharField(max_length=64, default="")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="one_entry_per_place_in_chain")]


class ChainHead(models.Model):
    """The last entry of a change log's chain: appending locks this row, so that entries get consecutive numbers and
    each names its true predecessor even when many people save at once; a deleted last entry shows here."""

    chain = models.CharField(max_length=40, unique=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")


class ScoringRun(models.Model):
    """A recorded scoring of the whole campaign: the folder holds the exported bundle and what write_run wrote."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150)
    folder = models.CharField(max_length=500)  # relative to the data folder
    self_points = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    self_max = models.DecimalField(max_digits=14, decimal_places=4)
    index_points = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    index_max = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    index_estimated = models.BooleanField(default=False)
    kind = models.CharField("loại văn bản", max_length=20, default="bao-cao")
    draft = models.BooleanField(default=False)  # the letter still lacks something a signed one needs
    missing = models.JSONField(default=list, blank=True)  # what it lacks (the report's pre-flight)
    appraised = models.BooleanField(default=False)  # the result is the final one, after thẩm định

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="one_run_number")]
        ordering = ["campaign", "-number"]


class Appraisal(models.Model):
    """The appraisal (thẩm định) of a campaign: round 1 (the council proposes points with comments), round 2 (the
    agencies answer with giải trình and new evidence; the council sets the final points), closed (the final result)."""

    ROUND_1 = "round1"
    ROUND_2 = "round2"
    CLOSED = "closed"
    STATES = [
        (ROUND_1, "vòng 1: hội đồng đề xuất điểm"),
        (ROUND_2, "vòng 2: giải trình và điểm cuối cùng"),
        (CLOSED, "đã kết thúc thẩm định"),
    ]

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="appraisal")
    state = models.CharField("giai đoạn", max_length=10, choices=STATES, default=ROUND_1)
    council = models.CharField("hội đồng thẩm định", max_length=500)
    date = models.DateField("ngày thẩm định", null=True, blank=True)
    reply_until = models.DateTimeField("hạn giải trình", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    @property
    def state_label(self) -> str:
        return dict(self.STATES)[self.state]


class AppraisalPoint(models.Model):
    """The council's points for one criterion in one round, with its comment (a line of the appraisal file)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="appraisal_points")
    criterion = models.CharField("tiêu chí", max_length=40)
    round = models.PositiveSmallIntegerField("vòng")
    points = models.CharField("điểm", max_length=40)  # exact decimal text ("0.25"), as evidence figures are kept
    comment = models.TextField("ý kiến", blank=True)
    appraiser = models.CharField("người thẩm định", max_length=300)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "criterion", "round"], name="one_point_per_round")]
        ordering = ["campaign", "round", "id"]


class AppraisalReply(models.Model):
    """An agency's giải trình to the council's round-1 comment on one of its criteria."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="appraisal_replies")
    part = models.ForeignKey(AgencyPart, on_delete=models.CASCADE, related_name="appraisal_replies")
    criterion = models.CharField("tiêu chí", max_length=40)
    text = models.TextField("giải trình")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "criterion", "part"], name="one_reply_per_agency")]
        ordering = ["campaign", "criterion", "part"]
