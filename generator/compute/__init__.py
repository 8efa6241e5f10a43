"""Turn a validated `Project` into the plain data the outputs show, with no I/O.

Privacy-filtered views per audience (`views`), the aggregate profile, the year
schedule of the checklist, 发展党员 status, working days and 公示 periods, who
takes part in a scheme, the box inventories, assessment results (`scoring`,
one engine per scheme kind) and the 公示 notices. Renderers receive these,
never the models. The rules implemented here are described in docs/domain.md.

Modules:
  views.py          validated models → plain-data views for one audience (public site, internal print)
  profile.py        a branch roster → the aggregate 队伍基本情况 (counts and structure)
  schedule.py       the 定期定量工作指标一览表 → one branch's schedule for the year, every occurrence
  recruitment.py    an applicant's dates → where they stand in the 25 steps of 发展党员, what comes next
  calendar.py       holiday-calendar data → working days and 公示 periods with start and end dates
  participants.py   a scheme and the branches → who takes part (branches, tables needed, people)
  filing.py         a branch's year → the 卷内目录 of its five boxes
  notices.py        public results and a scheme's notice settings → 公示 notices
  scoring/          score tables → results, one engine per scheme kind (common, tiered, red_flag,
                    points, grading, five_step) and the results view (`SchemeView`)
"""
