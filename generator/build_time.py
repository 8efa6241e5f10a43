"""When a build happens: the one reader of SOURCE_DATE_EPOCH.

A reproducible build sets SOURCE_DATE_EPOCH (seconds since 1970-01-01 UTC):
it fixes the build date that outputs print (生成日期, the exports'
`generated_on`) and the PDFs' document dates. Without it the date is today and
the PDFs carry their own dates (see `generator.pdf.typeset.document_date`).

The pipeline reads the variable once per build (`read_build_time`) and passes
the value down; no other module of the package looks at the environment for it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from generator.errors import UserError

ENVIRONMENT_VARIABLE = "SOURCE_DATE_EPOCH"


@dataclass(frozen=True)
class BuildTime:
    date: dt.date                      # the build date printed in outputs
    source_date_epoch: str | None      # the variable's value (an integer, as text), or None when unset


def read_build_time() -> BuildTime:
    """Today, or the date of SOURCE_DATE_EPOCH; a value that is not a whole number of seconds is refused."""
    epoch = os.environ.get(ENVIRONMENT_VARIABLE, "").strip() or None
    if epoch is None:
        return BuildTime(dt.date.today(), None)
    try:
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise UserError(f"环境变量 {ENVIRONMENT_VARIABLE} 应为从 1970 年 1 月 1 日起的整秒数（如 1767225600），"
                        f"现为「{epoch}」；请改正或删去它。") from None
    return BuildTime(moment.date(), str(int(epoch)))


def source_date_epoch() -> str | None:
    """SOURCE_DATE_EPOCH as the PDF writers take it (None when unset)."""
    return read_build_time().source_date_epoch
