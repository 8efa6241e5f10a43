"""Write a synthetic organization of N branches for timing builds: ``python bench/make_org.py N TARGET_DIR``.

FICTIONAL data only. The library (content/, theme/, mkdocs.yml) is copied from
this repository; branches, rosters and score tables are generated from a
seeded pseudo-random generator, so the same N and seed always give the same
files. People and places are made up from syllable lists (any name that occurs
in the repository's own sample branches is skipped). Each branch has 5–60
members, a type from the ten branch types, sometimes 党小组 and applicants; the
roster is written inline in the branch file for half of the branches and as a
CSV file for the other half. Every scheme of the library gets score tables for
its last four periods up to the organization's year (read from the schemes
with the project's own models, so the tables match their items and
participants); member schemes get one row per member and 入党积极分子 or
发展对象. The result passes ``branchbook check``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.load.yaml_source import load_yaml  # noqa: E402  (after the repository is on the path)
from generator.models.schemes import Scheme, scheme_model  # noqa: E402  (likewise)

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方"
GIVEN = "安邦宁远明辉晓雯国栋海燕春生秋实志刚建华玉兰桂英思源嘉禾子墨若溪泽宇欣怡文博俊杰雅琴丽萍德胜永康淑芬翠云"
PLACE_FIRST = "青石柳岸梅溪桃源竹林松岭枫桥杏花荷塘兰亭云湖霞浦金沙银滩玉泉翠屏芳草星河月港"
PLACE_SECOND = "湾坪岗洲埠浜堡塘岙圩坞冈垟墩坝畈"
TOWNS = ("东阳镇", "南浦镇", "西岭乡", "北塘镇", "中和街道", "新桥街道")
ROADS = ("和平路", "建设路", "人民路", "文化路", "滨江路", "长安路", "兴业路", "学府路")
EDUCATION = ("初中及以下", "高中/中专", "大专", "本科", "研究生")
ETHNICITIES = ("汉族",) * 12 + ("回族", "满族", "畲族", "苗族")
LINES = ("一线", "二线", "地面")
ROLES = ("组织委员", "宣传委员", "纪检委员", "青年委员")
DUTIES = {"书记": "主持支部全面工作, 落实党建工作责任制", "副书记": "协助书记工作, 负责党员教育管理",
          "组织委员": "负责组织发展、党员管理和党费收缴", "宣传委员": "负责理论学习、宣传和党务公开",
          "纪检委员": "负责党风廉政建设和党员监督", "青年委员": "负责青年党员和团员青年工作"}
NUMBERS = "一二三四五六"

# Branch type → weight, how the short name, the full name and the unit are made from a place name,
# and the usual positions of its members.
TYPES = {
    "农村": (20, "{p}村党支部", "中共{p}村支部委员会", "{town}{p}村村民委员会", ("村民", "村委会委员", "种植户", "合作社社员")),
    "城市社区": (16, "{p}社区党支部", "中共{p}社区支部委员会", "{town}{p}社区居民委员会", ("社区专职工作者", "网格员", "居民")),
    "党政机关": (12, "{p}管理所党支部", "中共{p}管理所支部委员会", "{p}管理所", ("科员", "科长", "副所长")),
    "事业单位": (10, "{p}卫生院党支部", "中共{p}卫生院支部委员会", "{p}卫生院", ("医师", "护士", "药剂师")),
    "学校": (10, "{p}中学党支部", "中共{p}中学支部委员会", "{p}中学", ("语文教师", "数学教师", "班主任")),
    "国有企业": (10, "{p}供水公司党支部", "中共{p}供水有限公司支部委员会", "{p}供水有限公司", ("工程师", "调度员", "抄表员")),
    "非公有制企业": (8, "{p}科技公司党支部", "中共{p}科技有限公司支部委员会", "{p}科技有限公司", ("技术员", "销售经理", "质检员")),
    "社会组织": (4, "{p}志愿者协会党支部", "中共{p}志愿者协会支部委员会", "{p}志愿者协会", ("志愿者", "项目主管")),
    "离退休": (6, "{p}离退休干部党支部", "中共{p}离退休干部支部委员会", "{p}老干部活动中心", ("退休干部", "退休教师")),
    "其他": (4, "{p}园区联合党支部", "中共{p}园区联合支部委员会", "{p}产业园区管理办公室", ("园区工作人员",)),
}
ROSTER_HEADERS = ("姓名", "性别", "出生日期", "民族", "学历", "入党日期", "转正日期", "党员类别", "所在党小组", "工作岗位",
                  "公民身份号码", "联系电话", "家庭住址")
ROSTER_FIELDS = ("name", "gender", "birth_date", "ethnicity", "education", "joined_on", "full_member_on", "status",
                 "group", "position", "id_number", "phone", "address")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def years_before(day: dt.date, years: int, extra_days: int = 0) -> dt.date:
    return dt.date(day.year - years, day.month, min(day.day, 28)) - dt.timedelta(days=extra_days)


class Generator:
    def __init__(self, seed: int, as_of: dt.date, organization: str, sample_text: str) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.organization = organization
        self.sample_text = sample_text
        self.id_numbers: set[str] = set()
        places = [a + b for a in PLACE_FIRST for b in PLACE_SECOND]
        self.rng.shuffle(places)
        self.places = places

    # --- people -----------------------------------------------------------------------------

    def person_name(self, taken: set[str]) -> str:
        while True:
            given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2, 2))))
            name = self.rng.choice(SURNAMES) + given
            if name not in taken and name not in self.sample_text:
                taken.add(name)
                return name

    def id_number(self, born: dt.date, gender: str) -> str:
        while True:
            sequence = self.rng.randrange(0, 1000)
            if (sequence % 2 == 1) != (gender == "男"):
                sequence = (sequence + 1) % 1000
            body = f"3301{self.rng.randint(90, 99)}{born:%Y%m%d}{sequence:03d}"
            number = body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS)) % 11]
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def phone(self) -> str:
        return "1" + self.rng.choice("3578") + "".join(self.rng.choice("0123456789") for _ in range(9))

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def member(self, name: str, kind: str, probationary: bool, positions: tuple[str, ...]) -> dict:
        gender = self.rng.choice("男女")
        low, high = (62, 88) if kind == "离退休" else (22, 60)
        born = self.day_between(years_before(self.as_of, high), years_before(self.as_of, low))
        if probationary:
            joined = self.day_between(max(years_before(self.as_of, 1, -10), years_before(born, -19)), self.as_of)
            full = None
        else:
            joined = self.day_between(years_before(born, -19), min(years_before(born, -40), years_before(self.as_of, 2)))
            full = years_before(joined, -1)
        return {"name": name, "gender": gender, "birth_date": born, "ethnicity": self.rng.choice(ETHNICITIES),
                "education": self.rng.choices(EDUCATION, (1, 3, 4, 6, 2))[0], "joined_on": joined,
                "full_member_on": full, "status": "预备" if probationary else "正式", "group": None,
                "position": self.rng.choice(positions), "id_number": self.id_number(born, gender),
                "phone": self.phone(), "address": f"{self.rng.choice(ROADS)}{self.rng.randint(1, 400)}号"}

    def applicant(self, name: str, stage: str, contacts: list[str]) -> dict:
        born = self.day_between(years_before(self.as_of, 40), years_before(self.as_of, 21))
        back = {"入党申请人": 60, "入党积极分子": 240, "发展对象": 600}[stage]
        applied = self.as_of - dt.timedelta(days=back + self.rng.randint(0, 40))
        person = {"name": name, "gender": self.rng.choice("男女"), "birth_date": born,
                  "education": self.rng.choice(EDUCATION[2:]), "applied_on": applied,
                  "talked_on": applied + dt.timedelta(days=self.rng.randint(5, 25))}
        if stage != "入党申请人":
            person["activist_on"] = applied + dt.timedelta(days=self.rng.randint(40, 90))
            person["contacts"] = contacts
        if stage == "发展对象":
            person["candidate_on"] = person["activist_on"] + dt.timedelta(days=380 + self.rng.randint(0, 60))
        return person

    # --- branches ---------------------------------------------------------------------------

    def branch(self, index: int) -> tuple[dict, list[dict]]:
        """The branch file's data and its roster (members in order)."""
        rng = self.rng
        kind = rng.choices(list(TYPES), [t[0] for t in TYPES.values()])[0]
        _, short, full_name, unit, positions = TYPES[kind]
        place = self.places[index % len(self.places)] + (f"{NUMBERS[index // len(self.places) - 1]}" if index >= len(self.places) else "")
        town = rng.choice(TOWNS)
        names: set[str] = set()
        size = rng.randint(5, 60)
        probationary = rng.randint(0, size // 10)
        members = [self.member(self.person_name(names), kind, n >= size - probationary, positions) for n in range(size)]
        full = [m for m in members if m["status"] == "正式"]
        roles = ["书记"] if len(full) < 7 else ["书记"] + (["副书记"] if len(full) >= 15 else []) + list(
            ROLES[:rng.randint(2, 4)])
        committee = [{"name": person["name"], "role": role, "duties": DUTIES.get(role, "协助支委会开展工作")}
                     for person, role in zip(full, roles)]
        groups = []
        if size >= 20:
            count = rng.randint(2, 4)
            for n in range(count):
                groups.append({"name": f"第{NUMBERS[n]}党小组", "leader": full[-1 - n]["name"]})
            for n, person in enumerate(members):
                person["group"] = groups[n % count]["name"]
            for n, group in enumerate(groups):
                full[-1 - n]["group"] = group["name"]
        branch_id = f"b{index + 1:04d}"
        term_start = self.day_between(years_before(self.as_of, 3, -30), years_before(self.as_of, 0, 30))
        data = {
            "id": branch_id, "name": full_name.format(p=place, town=town), "short_name": short.format(p=place),
            "type": kind, "parent": self.organization,
            "founded": self.day_between(dt.date(1978, 1, 1), dt.date(2019, 12, 31)),
            "unit": unit.format(p=place, town=town),
        }
        if rng.random() < 0.7:
            data["assessment_line"] = rng.choice(LINES)
        data["office"] = {"phone": f"0571-8{rng.randint(1000000, 9999999)}", "email": f"{branch_id}@example.cn",
                          "address": f"{town}{rng.choice(ROADS)}{rng.randint(1, 300)}号", "contact_person": "组织委员"}
        years = 5 if kind in ("农村", "城市社区") else 3
        data["committee"] = {"term_start": term_start, "term_end": years_before(term_start, -years, 1),
                             "members": committee}
        if groups:
            data["groups"] = groups
        if index % 2:
            data["members_file"] = f"{branch_id}-members.csv"
        else:
            data["members"] = [{key: value for key, value in m.items() if value is not None} for m in members]
        applicants = []
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            stage = rng.choice(("入党申请人", "入党积极分子", "发展对象"))
            applicants.append(self.applicant(self.person_name(names), stage, [rng.choice(full)["name"]]))
        if applicants:
            data["applicants"] = applicants
        if rng.random() < 0.8:
            data["activity_room"] = {"name": "党员活动室", "location": f"{data['unit']}办公楼{rng.randint(1, 5)}楼",
                                     "area_m2": rng.randint(20, 120),
                                     "six_haves": sorted(rng.sample(["有制度", "有台帐", "有学习材料", "有宣传园地",
                                                                     "有电教设备", "有专人管理"], rng.randint(3, 6)))}
        data["rules"] = ["三会一课制度", "主题党日制度", "组织生活会制度", "民主评议党员制度"][:rng.randint(2, 4)]
        data["goals"] = [{"year": self.as_of.year, "title": "规范组织生活", "measures": "按期召开支部党员大会、支委会和党小组会。"}]
        data["commitments"] = [{"title": "为群众办实事", "detail": f"全年办理实事 {rng.randint(3, 12)} 件。"}]
        if rng.random() < 0.3:
            data["honours"] = [{"year": self.as_of.year - 1, "title": "先进基层党组织", "awarded_by": self.organization}]
        data["news"] = [{"date": self.day_between(dt.date(self.as_of.year, 1, 1), self.as_of),
                         "title": f"开展第{NUMBERS[n]}次主题党日活动", "text": "全体党员参加学习讨论。"}
                        for n in range(rng.randint(1, 3))]
        return data, members

    # --- score tables -----------------------------------------------------------------------

    def score(self, maximum: float, level: float) -> str:
        value = min(maximum, max(0.0, round(maximum * self.rng.gauss(level, 0.08) * 2) / 2))
        return f"{value:g}"


def periods_of(scheme: Scheme, year: int) -> list[str]:
    """The scheme's last four periods up to the end of `year`."""
    if scheme.period == "quarter":
        return [f"{year}Q{n}" for n in range(1, 5)]
    if scheme.period == "bimonth":
        return [f"{year}B{n}" for n in range(3, 7)]
    return [str(y) for y in range(year - 3, year + 1)]


def participates(scheme: Scheme, branch: dict) -> bool:
    chosen = scheme.participants
    everyone = not chosen.types and not chosen.branches
    excluded = getattr(chosen, "exclude", ())  # older checkouts (for timing "before") lack the field
    return (everyone or branch["type"] in chosen.types or branch["id"] in chosen.branches) \
        and branch["id"] not in excluded


def dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def load_schemes(folder: Path) -> list[Scheme]:
    schemes = []
    for path in sorted(folder.glob("*.yml")):
        doc, problems = load_yaml(path, str(path))
        assert doc is not None and not problems, problems
        schemes.append(scheme_model(doc.data).model_validate(doc.data))
    return schemes


def point_member_schemes(folder: Path, branches: list[dict]) -> None:
    """Member schemes that list branches by id name the sample's branches: point them at every 8th branch here."""
    chosen = [b["id"] for b in branches[::8]]
    for path in sorted(folder.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        new = re.sub(r"(?m)^(participants:\n(?:  .*\n)*?)  branches: \[.*\]$",
                     lambda m: m[1] + f"  branches: [{', '.join(chosen)}]", text)
        new = re.sub(r"(?m)^  exclude: \[.*\]$", "  exclude: []", new)
        if new != text:
            path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of branches")
    parser.add_argument("target", type=Path, help="directory to write (must not exist or be empty)")
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    target: Path = args.target
    if target.exists() and any(target.iterdir()):
        parser.error(f"{target} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    for folder in ("content", "theme"):
        shutil.copytree(REPO / folder, target / folder)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    organization = yaml.safe_load((target / "content" / "organization.yml").read_text(encoding="utf-8"))
    as_of, year = organization["as_of"], int(organization["year"])
    sample_text = "".join(p.read_text(encoding="utf-8", errors="replace")
                          for p in sorted((REPO / "branches").glob("*")) if p.suffix in (".yml", ".csv"))
    gen = Generator(args.seed, as_of, organization["name"], sample_text)

    (target / "branches").mkdir()
    branches, rosters = [], {}
    for index in range(args.count):
        data, members = gen.branch(index)
        branches.append(data)
        rosters[data["id"]] = members
        path = target / "branches" / f"{data['id']}.yml"
        path.write_text(f"# {data['short_name']} (synthetic benchmark branch, fictional data)\n" + dump_yaml(data),
                        encoding="utf-8")
        if "members_file" in data:
            write_csv(target / "branches" / data["members_file"], list(ROSTER_HEADERS),
                      [["" if m[key] is None else str(m[key]) for key in ROSTER_FIELDS] for m in members])

    point_member_schemes(target / "content" / "schemes", branches)
    for scheme in load_schemes(target / "content" / "schemes"):
        items = scheme.scored_items()
        if scheme.kind == "grading" or not items:
            continue  # graded from another scheme's results: no tables of its own
        folder = target / "scores" / scheme.id
        folder.mkdir(parents=True)
        header = ["支部编号", "支部名称"] + (["姓名"] if scheme.subject == "member" else []) + [i.id for i in items]
        levels = {b["id"]: gen.rng.uniform(0.6, 0.97) for b in branches}
        # Most branches keep the floor that a tiered scheme sets on its key items.
        key_tier = scheme.rules.key_tier if scheme.kind == "tiered" else None
        boosts = [0.18 if key_tier and item.tier == key_tier else 0.0 for item in items]
        for period in periods_of(scheme, year):
            rows = []
            for branch in branches:
                if not participates(scheme, branch):
                    continue
                keys = [[branch["id"], branch["short_name"]]]
                if scheme.subject == "member":
                    people = [m["name"] for m in rosters[branch["id"]]]
                    people += [a["name"] for a in branch.get("applicants", []) if "activist_on" in a]
                    keys = [[branch["id"], branch["short_name"], name] for name in people]
                for key in keys:
                    rows.append(key + [gen.score(item.max_points, levels[branch["id"]] + boost)
                                       for item, boost in zip(items, boosts)])
            write_csv(folder / f"{period}.csv", header, rows)
    print(f"wrote {args.count} branches and score tables into {target}")


if __name__ == "__main__":
    main()
