from lianfang.core.permissions import declare

ALL_ROLES = (
    "command_office",
    "subdistrict_officer",
    "community_worker",
    "grid_worker",
    "doctor",
    "checkpoint_officer",
    "hotline_operator",
    "discipline_officer",
    "discipline_leader",
    "sector_inspector",
    "supplies_keeper",
    "publicity_officer",
    "volunteer",
    "system_admin",
    "privacy_auditor",
)

VIEW_REGION = declare("regions.view", "查看本辖区的区域网格", ALL_ROLES)
VIEW_STAFF = declare(
    "regions.view_staff",
    "查看本辖区的工作人员（网格员、楼栋长等）",
    (
        "command_office",
        "subdistrict_officer",
        "community_worker",
        "grid_worker",
        "system_admin",
        "privacy_auditor",
    ),
)
MANAGE_REGIONS = declare("regions.manage", "新增、更名、移动、停用区域", ("system_admin",))
