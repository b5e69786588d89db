from lianfang.core.permissions import declare

VIEW_REPORTS = declare(
    "reporting.view",
    "查看本辖区的日报告、报送情况和督办事项",
    (
        "command_office",
        "subdistrict_officer",
        "community_worker",
        "discipline_officer",
        "discipline_leader",
    ),
)
SUBMIT_REPORT = declare(
    "reporting.submit",
    "报送本单位的日报告（社区报告、街道和区的汇总报告）",
    ("command_office", "subdistrict_officer", "community_worker"),
)
REVIEW_REPORTS = declare(
    "reporting.review",
    "审核下一级单位的日报告（通过或退回）",
    ("command_office", "subdistrict_officer"),
)
BULLETIN = declare("reporting.bulletin", "生成和下载全区日报简报", ("command_office",))
PUBLIC_BULLETIN = declare(
    "reporting.public_bulletin",
    "查看可公开的脱敏日报（不含小于最小单元数的精确数字）",
    ("command_office", "publicity_officer"),
)
CONFIGURE_REPORTS = declare(
    "reporting.configure", "维护报告时段和截止时间政策", ("command_office",)
)
