"""Describe the organization that owns the handbook (the 基层党委), from ``content/organization.yml``."""

from __future__ import annotations

import re
from typing import Any

from pydantic import field_validator, model_validator

from generator.models.branch import Contact
from generator.models.common import Date, Model, field

# The kinds of organization a short name commonly ends with, longest first (机关党委 before 党委).
KNOWN_KINDS = ("机关党委", "党工委", "党总支", "党委")
DEFAULT_KIND = "党委"
# What `branchbook init` writes where only the organization can fill in: `check` notes them while they remain.
SUMMARY_PLACEHOLDER = "（请在 content/organization.yml 中改写为本单位的实际情况。）"
PLACEHOLDER_PHONE = "0000-0000000"
# The site's name when organization.yml names none: the short name followed by this.
SITE_NAME_SUFFIX = "党支部标准化手册"


# A Dask scheduler's address: tcp://host:port (or tls://, ucx://, ws://, wss://, inproc://), or host:port.
SCHEDULER_ADDRESS = re.compile(r"(?:(?:tcp|tls|ucx|ws|wss|inproc)://)?[^\s/:@]+(?::\d{1,5})?/?")
LOCAL_SCHEDULER = "local"      # `build --scheduler local`: this machine, whatever build.scheduler says


def scheduler_address_problem(address: str) -> str | None:
    """Why `address` is not the address of a Dask scheduler (in Chinese), or None."""
    if SCHEDULER_ADDRESS.fullmatch(address.strip()):
        return None
    return (f"「{address}」不是 Dask 调度器的地址；应写成 tcp://主机名或IP:端口，如 tcp://192.168.1.10:8786"
            f"（命令行中写 {LOCAL_SCHEDULER} 表示只用本机）")


class BuildSettings(Model):
    scheduler: str | None = field("Dask 调度器地址", "把各支部的打印文件交给 Dask 集群生成时调度器的地址，"
                                  "如 tcp://192.168.1.10:8786；不填时在本机生成；命令行的 --scheduler 优先",
                                  default=None, privacy="never", min_length=1)

    @field_validator("scheduler")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and (problem := scheduler_address_problem(value)):
            raise ValueError(problem)
        return value


def kind_from_short_name(short_name: str) -> str:
    """The organization's kind as its short name ends (「青石镇党委」→「党委」), else `DEFAULT_KIND`."""
    return next((kind for kind in KNOWN_KINDS if short_name.strip().endswith(kind)), DEFAULT_KIND)


class Organization(Model):
    name: str = field("党组织全称", "如「中共青石镇委员会」")
    short_name: str = field("简称", "如「青石镇党委」")
    kind: str = field("组织类别", "如「党委」「党工委」「党总支」「机关党委」，章节和流程中的「组织类别」变量即为它；"
                      "不填时按简称的结尾推断（如「青石镇党委」为「党委」），推断不出时为「党委」",
                      default=DEFAULT_KIND, min_length=1)
    site_name: str | None = field("网站名称", "网站每一页标题栏和浏览器标签上的名称；"
                                  f"不填时为简称加「{SITE_NAME_SUFFIX}」，如「青石镇党委{SITE_NAME_SUFFIX}」",
                                  default=None, min_length=1)
    year: int = field("手册年度", "手册与五盒对应的年度", ge=2000, le=2100)
    as_of: Date = field("统计截止日期", "计算年龄、党龄等的基准日期，保证同样的输入得到同样的输出")
    summary: str = field("概况", "组织概况，显示在网站首页")
    office: Contact = field("联系方式", "组织部门（办公室）的电话、邮箱和地址")
    site_url: str | None = field("网站地址", "发布网站的地址（内网），可不填", default=None)
    build: BuildSettings | None = field("生成设置", "生成时的选项，可不填", default=None, privacy="never")

    @model_validator(mode="before")
    @classmethod
    def _kind_from_short_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("kind") in (None, "") and isinstance(data.get("short_name"), str):
            return {**data, "kind": kind_from_short_name(data["short_name"])}
        return data

    @property
    def site_title(self) -> str:
        """The one title of the site: `site_name`, or the short name followed by `SITE_NAME_SUFFIX`."""
        return self.site_name or f"{self.short_name}{SITE_NAME_SUFFIX}"
