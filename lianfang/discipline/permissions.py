"""Who may do what with clues. Nobody outside the discipline office sees any clue (404); the
command office sees figures only, through the indicators."""

from lianfang.core.permissions import declare

OFFICE = ("discipline_officer", "discipline_leader")

VIEW = declare("discipline.view", "查看本级纪检监察机关的问题线索台账、处置和案件", OFFICE)
HANDLE = declare(
    "discipline.handle",
    "登记问题线索（含移送件）、提出处置意见、办理谈话函询和初步核实、与举报人沟通",
    OFFICE,
)
APPROVE = declare(
    "discipline.approve",
    "审批处置意见、立案和处分决定（不能审批本人提出的意见），审批查看举报人身份的申请",
    ("discipline_leader",),
)
