"""Chinese names for search: full pinyin and initials, with a surname override table because
pypinyin reads some surnames with their common-word reading (单 dan → shan, 曾 ceng → zeng)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "朴": "piao",
    "繁": "po",
    "盖": "ge",
    "种": "chong",
    "乐": "yue",
    "尉迟": "yuchi",
    "万俟": "moqi",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "召": "shao",
    "秘": "bi",
    "员": "yun",
    "便": "pian",
    "长孙": "zhangsun",
    "燕": "yan",
    "纪": "ji",
    "祭": "zhai",
    "褚": "chu",
    "折": "she",
    "宿": "su",
}


@lru_cache(maxsize=65536)
def _syllables(name: str) -> tuple[str, ...]:
    name = "".join(name.split())
    for surname in sorted(SURNAME_READINGS, key=len, reverse=True):
        if name.startswith(surname):
            head = SURNAME_READINGS[surname]
            rest = lazy_pinyin(name[len(surname) :], style=Style.NORMAL, errors="ignore")
            # A compound surname counts as its characters' syllables for the initials.
            heads = [head] if len(surname) == 1 else lazy_pinyin(surname, style=Style.NORMAL)
            if len(surname) > 1:
                heads = [head[: len(heads[0])], head[len(heads[0]) :]]
            return (*heads, *rest)
    return tuple(lazy_pinyin(name, style=Style.NORMAL, errors="ignore"))


def pinyin(name: str) -> str:
    return "".join(_syllables(name)).lower()


def initials(name: str) -> str:
    return "".join(s[:1] for s in _syllables(name) if s).lower()


def name_birth_key(pinyin_name: str, birth: object) -> str:
    return f"{pinyin_name}|{birth}" if pinyin_name and birth else ""
