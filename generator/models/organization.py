"""Describe the organization that owns the handbook (the 基层党委), from ``content/organization.yml``."""

from __future__ import annotations

from generator.models.branch import Contact
from generator.models.common import Date, Model, field


class Organization(Model):
    name: str = field("党组织全称", "如「中共青石镇委员会」")
    short_name: str = field("简称", "如「青石镇党委」")
    year: int = field("手册年度", "手册与五盒对应的年度", ge=2000, le=2100)
    as_of: Date = field("统计截止日期", "计算年龄、党龄等的基准日期, 保证同样的输入得到同样的输出")
    summary: str = field("概况", "组织概况, 显示在网站首页")
    office: Contact = field("联系方式", "组织部门 (办公室) 的电话、邮箱和地址")
    site_url: str | None = field("网站地址", "发布网站的地址 (内网), 可不填", default=None)
