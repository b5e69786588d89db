from lianfang.core.permissions import declare

VIEW_MONITORING = declare(
    "monitoring.view",
    "查看本辖区的医学观察、健康监测和预警",
    ("command_office", "subdistrict_officer", "community_worker", "grid_worker", "doctor"),
)
MANAGE_QUARANTINE = declare(
    "monitoring.manage",
    "发起、调整、转移、结束医学观察",
    ("command_office", "subdistrict_officer", "community_worker", "doctor"),
)
RECORD_CHECKS = declare(
    "monitoring.check",
    "录入体温和症状、处理预警",
    ("community_worker", "grid_worker", "doctor"),
)
REFER = declare("monitoring.refer", "转诊发热门诊并登记结果", ("doctor", "community_worker"))
CONFIGURE = declare(
    "monitoring.configure", "维护观察政策、集中隔离点和发热门诊", ("command_office",)
)
