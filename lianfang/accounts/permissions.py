from lianfang.core.permissions import declare

MANAGE_USERS = declare("accounts.manage_users", "管理本辖区的用户、角色与任职", ("system_admin",))
VIEW_AUDIT = declare("audit.view", "查看本辖区的变更记录与个人信息访问记录", ("privacy_auditor",))
