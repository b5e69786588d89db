from lianfang.core.permissions import declare

_REGISTRY_ROLES = (
    "command_office",
    "subdistrict_officer",
    "community_worker",
    "grid_worker",
    "doctor",
)
VIEW_PEOPLE = declare("people.view", "查看本辖区的人员登记（脱敏）", _REGISTRY_ROLES)
REGISTER = declare(
    "people.register",
    "登记人员和排查信息",
    ("command_office", "subdistrict_officer", "community_worker", "grid_worker"),
)
REVEAL = declare(
    "people.reveal",
    "查看完整证件号码和电话（须填写用途，留痕）",
    ("command_office", "subdistrict_officer", "community_worker", "doctor"),
)
OVERRIDE_RISK = declare("people.override_risk", "调整风险类别（须说明理由）", ("doctor",))
EXPORT_UNMASKED = declare(
    "people.export_unmasked",
    "导出未脱敏名单（留痕）",
    ("command_office", "subdistrict_officer"),
)
MANAGE_KEY_AREAS = declare("people.manage_key_areas", "维护重点地区名单", ("command_office",))
IMPORT = declare(
    "people.import",
    "批量导入名单",
    ("command_office", "subdistrict_officer", "community_worker"),
)
ROUTE = declare(
    "people.route", "分派无法识别社区的导入行", ("command_office", "subdistrict_officer")
)
MERGE = declare(
    "people.merge",
    "处理疑似重复人员（合并或标记为非重复）",
    ("command_office", "subdistrict_officer", "community_worker"),
)
MANAGE_SWEEPS = declare(
    "people.manage_sweeps",
    "发起和关闭逐户排查",
    ("command_office", "subdistrict_officer", "community_worker"),
)
RECORD_CASE_STATUS = declare(
    "people.case_status",
    "登记转诊诊断结果（疑似、确诊），更新风险类别",
    ("doctor", "community_worker"),
)
