from lianfang.core.permissions import declare

INTAKE = declare(
    "cases.intake",
    "热线受理：接听登记、按来电号码查找既往工单、合并重复件、当场答复咨询、回访和归档",
    ("hotline_operator",),
)
DISPATCH = declare(
    "cases.dispatch",
    "派单：分派无法自动分派的工单、处理退单、审批延期",
    ("hotline_operator", "command_office", "subdistrict_officer"),
)
OVERSEE = declare(
    "cases.oversee",
    "督办：查看本辖区（含下级单位）的工单、超期和考核情况（不含保密类别）",
    ("command_office", "subdistrict_officer"),
)
HANDLE_COMMUNITY = declare(
    "cases.handle_community",
    "签收、办理并答复派给本社区（网格员：本人楼栋）的工单",
    ("community_worker", "grid_worker"),
)
HANDLE_SUBDISTRICT = declare(
    "cases.handle_subdistrict",
    "签收、办理并答复派给本街道（含环卫）的工单",
    ("subdistrict_officer",),
)
HANDLE_MARKET = declare(
    "cases.handle_market", "签收、办理并答复派给市场监管的工单", ("sector_inspector",)
)
HANDLE_DISCIPLINE = declare(
    "cases.handle_discipline",
    "受理和办理干部作风与违纪类举报（保密：仅纪检监察可见）",
    ("discipline_officer", "discipline_leader"),
)
REVEAL_REPORTER = declare(
    "cases.reveal_reporter",
    "说明用途后查看举报人姓名和电话（留痕；保密类别仅纪检监察）",
    ("hotline_operator", "command_office", "discipline_officer", "discipline_leader"),
)
CONFIGURE = declare("cases.configure", "维护工单类别和办理时限", ("command_office",))
HANDLE = declare(
    "cases.handle",
    "打开派给本单位的工单并办理（具体由承办单位的权限决定）",
    (
        "community_worker",
        "grid_worker",
        "subdistrict_officer",
        "sector_inspector",
        "discipline_officer",
        "discipline_leader",
    ),
)
VIEW = declare(
    "cases.view",
    "查看工单看板（本单位承办的、本辖区督办的）",
    (
        "hotline_operator",
        "command_office",
        "subdistrict_officer",
        "community_worker",
        "grid_worker",
        "sector_inspector",
        "discipline_officer",
        "discipline_leader",
    ),
)
