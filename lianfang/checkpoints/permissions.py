from lianfang.core.permissions import declare

CHECK = declare(
    "checkpoints.check",
    "在本卡口登记车辆和人员检查、接班交班（只看本卡口的检查和自己移交的人员）",
    ("checkpoint_officer",),
)
VIEW_CHECKPOINTS = declare(
    "checkpoints.view",
    "查看本辖区卡口的检查看板和统计",
    ("command_office", "subdistrict_officer", "checkpoint_officer"),
)
RECEIVE = declare(
    "checkpoints.receive",
    "接收卡口移交给本社区的人员（确认接收结果）",
    ("command_office", "subdistrict_officer", "community_worker"),
)
ROUTE = declare(
    "checkpoints.route", "分派地址无法识别的卡口移交人员", ("command_office", "subdistrict_officer")
)
MANAGE = declare(
    "checkpoints.manage", "维护交通卡口、移交时限，导出区外人员名单", ("command_office",)
)
