"""Localities from the `vietnamadminunits` gazetteer (63-province map with its
districts, the 34-province map of 1 July 2025, and the old-to-new mapping).

A document's locality is recorded as the document names it (province or
district-level town) together with its old province and the province it
belongs to now, so either name finds it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from vietnamese.normalize import fold, match_key

_PREFIX = (
    r"tỉnh ủy|thành ủy|thị ủy|huyện ủy|quận ủy|tỉnh đoàn|thành đoàn|tỉnh|thành phố|tp\.?|"
    r"thị xã|huyện|quận"
)
# Place words are capitalised; "Bìm Sơn", "BÌM SƠN" and "Bỉm Sơn" all fold to "bim son".
_MENTION = re.compile(rf"(?<!\w)({_PREFIX})\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\.?\s?){{1,4}})", re.IGNORECASE)
_BARE_EXCLUDED = {"ho chi minh"}  # a person's name far more often than the city


@dataclass(frozen=True)
class Unit:
    name: str  # short name as the gazetteer spells it: "Bỉm Sơn"
    level: str  # "tỉnh", "thành phố", "thị xã", "huyện", "quận"
    province: str  # province before 1 July 2025
    province_new: str  # province since 1 July 2025


@dataclass
class Locality:
    name: str = ""
    level: str = ""
    province: str = ""
    province_new: str = ""
    variants: list[str] = field(default_factory=list)


@dataclass
class Gazetteer:
    provinces: dict[str, Unit]  # folded key without spaces -> unit (old and new provinces)
    districts: dict[str, list[Unit]]  # folded key -> units (a name may repeat across provinces)


def _key(name: str) -> str:
    return fold(name).replace(" ", "")


def _level(full_name: str, short: str) -> str:
    return full_name[: len(full_name) - len(short)].strip().lower()


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    from vietnamadminunits.database.main import query

    data_dir = resources.files("vietnamadminunits") / "data"
    mapping = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    new_rows = query("SELECT DISTINCT province, provinceShort FROM admin_units")
    new_by_key = {_key(r["province"]): r["provinceShort"] for r in new_rows}
    old_to_new = {old: new_by_key[new] for new, olds in mapping.items() for old in olds}
    provinces: dict[str, Unit] = {}
    for r in new_rows:
        provinces[_key(r["provinceShort"])] = Unit(
            r["provinceShort"], _level(r["province"], r["provinceShort"]), r["provinceShort"], r["provinceShort"]
        )
    old_rows = query("SELECT DISTINCT province, provinceShort, district, districtShort FROM admin_units_legacy")
    districts: dict[str, list[Unit]] = defaultdict(list)
    for r in old_rows:
        new = old_to_new.get(_key(r["province"]), r["provinceShort"])
        provinces[_key(r["provinceShort"])] = Unit(
            r["provinceShort"], _level(r["province"], r["provinceShort"]), r["provinceShort"], new
        )
        short = re.sub(r"\s*\(.*\)$", "", r["districtShort"])  # "Cai Lậy (Thị xã)"
        level = re.sub(r"\s*\(.*\)$", "", r["district"])[: -len(short)].strip().lower()
        unit = Unit(short, level, r["provinceShort"], new)
        if unit not in districts[_key(short)]:
            districts[_key(short)].append(unit)
    return Gazetteer(provinces, dict(districts))


def capitalised(phrase: str) -> list[str]:
    words = []
    for w in phrase.split():
        if not w[0].isupper():
            break
        words.append(w)
    return words


def _match(words: list[str], prefix: str, gaz: Gazetteer) -> tuple[Unit | None, str]:
    """Longest run of the captured words that names a unit fitting the prefix."""
    prefix = fold(prefix).rstrip(".")
    want_province = prefix in {"tinh", "tinh uy", "thanh uy", "tinh doan", "thanh doan", "thanh pho", "tp"}
    want_district = prefix in {"thi xa", "huyen", "quan", "thi uy", "huyen uy", "quan uy", "thanh pho", "tp"}
    level_of = {
        "thi xa": "thị xã",
        "thi uy": "thị xã",
        "huyen": "huyện",
        "huyen uy": "huyện",
        "quan": "quận",
        "quan uy": "quận",
    }
    for n in range(min(4, len(words)), 0, -1):
        text = " ".join(words[:n]).rstrip(".")
        key = _key(text)
        if want_province and key in gaz.provinces:
            return gaz.provinces[key], text
        if want_district and key in gaz.districts:
            units = gaz.districts[key]
            level = level_of.get(prefix)
            fitting = [u for u in units if level is None or u.level == level] or units
            return fitting[0], text
    return None, " ".join(words[:2])


def find_mentions(text: str) -> list[tuple[Unit, str, float, int]]:
    """(unit, text as written, weight, position) for every place the text names."""
    gaz = gazetteer()
    found = []
    for m in _MENTION.finditer(text):
        unit, written = _match(capitalised(m.group(2)), m.group(1), gaz)
        if unit:
            found.append((unit, written, 1.0, m.start()))
    for unit in {u for u in gaz.provinces.values()}:
        if fold(unit.name) in _BARE_EXCLUDED:
            continue
        for m in re.finditer(rf"(?<!\w){re.escape(unit.name)}(?!\w)", text):
            found.append((unit, unit.name, 0.5, m.start()))
    return found


def _unmatched_mentions(text: str) -> list[str]:
    gaz = gazetteer()
    out = []
    for m in _MENTION.finditer(text):
        words = capitalised(m.group(2))
        if words and _match(words, m.group(1), gaz)[0] is None:
            out.append(" ".join(words[:2]))
    return out


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def locate(text: str, head_chars: int = 600) -> Locality:
    """The locality a document is about, or an empty Locality when it never names one."""
    mentions = find_mentions(text)
    by_province: dict[str, float] = defaultdict(float)
    by_district: dict[Unit, float] = defaultdict(float)
    direct: dict[str, float] = defaultdict(float)
    for unit, _written, weight, pos in mentions:
        w = weight * (2 if pos < head_chars else 1)
        by_province[unit.province] += w
        if unit.level in {"thị xã", "huyện", "quận"} or (unit.name != unit.province):
            by_district[unit] += w
        else:
            direct[unit.province] += w
    if not by_province:
        return Locality()
    province, score = max(by_province.items(), key=lambda kv: kv[1])
    if score < 1.0:
        return Locality()
    inside = {u: s for u, s in by_district.items() if u.province == province}
    chosen = None
    if inside:
        district, dscore = max(inside.items(), key=lambda kv: kv[1])
        dominant = dscore >= 0.8 * sum(inside.values())
        if dominant and dscore >= 0.6 * score and direct[province] < dscore:
            chosen = district
    if chosen is None:
        chosen = gazetteer().provinces[_key(province)]
    written = {w for u, w, *_ in mentions if u == chosen and w.lower() != chosen.name.lower()}
    key = _key(chosen.name)
    written |= {w for w in _unmatched_mentions(text) if 0 < _distance(_key(w), key) <= 2}
    return Locality(chosen.name, chosen.level, chosen.province, chosen.province_new, sorted(written))


def places_in_query(*texts: str) -> set[str]:
    """Folded names of the provinces and district-level towns a question names, in any
    of its spellings (as typed, corrected, restored: one pass over the gazetteer).
    Provinces match with or without diacritics ("can tho"). District-level towns
    collide with common words ("là gì" / the town of La Gi), so they must be
    written as a proper name (capitalised, any accents: "Bìm Sơn", "Bim Son") or
    in lower case with their exact diacritics ("bỉm sơn", as restored from
    "bim son")."""
    gaz = gazetteer()
    folded = [" " + re.sub(r"[^\w]+", " ", fold(text)) + " " for text in texts]
    keyed = [" " + re.sub(r"[^\w]+", " ", match_key(text)) + " " for text in texts]
    proper = [" " + " ".join(w for w in re.findall(r"\w+", text) if w[0].isupper()) + " " for text in texts]
    proper = [" " + re.sub(r"[^\w]+", " ", fold(p)) + " " for p in proper]
    found = set()
    for u in gaz.provinces.values():  # a short name ("Huế") only with its diacritics
        name, key = fold(u.name), match_key(u.name)
        for f, k in zip(folded, keyed):
            if (f" {name} " in f if len(name) > 3 else f" {key} " in k) and (
                name not in _BARE_EXCLUDED or re.search(rf"\b(thanh pho|tp) {name}\b", f)
            ):
                found.add(name)
    for units in gaz.districts.values():
        for u in units:
            if u.level not in {"thị xã", "thành phố"}:
                continue
            name, key = fold(u.name), match_key(u.name)
            if len(name) > 3 and any(
                f" {name} " in p or (f" {key} " in k and name != key) for p, k in zip(proper, keyed)
            ):
                found.add(name)
    return found


def place_names() -> list[str]:
    """Every province and district-level name, spelled as the gazetteer spells it."""
    gaz = gazetteer()
    return sorted({u.name for u in gaz.provinces.values()} | {u.name for us in gaz.districts.values() for u in us})
