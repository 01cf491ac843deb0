"""Chinese, Japanese and Korean bylines: credit lines, source lines and names.

Chinese news pages credit their reporters in forms no "By" rule reads: a label before
the names ("作者：李在山", "采写：南都记者 余毅菁 向雪妮", "执笔/叨叨姐、胡一刀",
"【文/观察者网专栏作者 王文】"), or the reporter in brackets after the lead's dateline
("新华社巴黎12月9日电（记者唐霁）"). The outlet a story comes from is printed as its
source ("来源：证券时报网", an element classed "source"): an outlet, not an author, even
where a meta tag calls it one. Names in these scripts are short and have no inner
spaces, so a "name" followed by a long phrase is a name and its role ("王文
中国人民大学重阳金融研究院执行院长", "고규홍 나무 칼럼니스트"), and one holding a label
("责任编辑：张申", "发布于") is no name.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

__all__ = ["cjk_name", "credit_names", "has_cjk", "is_outlet", "lead_credit_names",
           "outlet_names"]

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

# Words of a page's chrome and labels: a "name" holding one is a label, a date's or a
# button's text ("发布于" published at, "复制链接" copy link), or an editor's credit
# ("责任编辑" editor in charge: the desk, not the author)
_LABEL_WORDS = ("来源", "出处", "编辑", "责任", "时间", "发布", "日期", "链接", "复制", "分享",
                "评论", "阅读", "版权", "声明", "转载", "收藏", "点击", "关注", "人气", "字号")

# A role beside or inside a credit: the reporter's ("南都见习记者", intern reporter at
# Nandu), the column's ("观察者网专栏作者"), or what was done ("整合" compiled, "摄" photo)
_ROLE = re.compile(
    r"(?:记者|作者|编辑|通讯员|实习生|特约|见习|专栏|主笔|撰稿人|特派员|整合|整理|报道|综合|编译|"
    r"摄影?|발행인|기자|특파원|칼럼니스트|논설위원|객원기자)$|^发自")
# One name: two to five Han characters (a transliterated foreign name joins its parts
# with "·"), or two to four Hangul syllables
_NAME_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,5}"
                         r"|[\u3400-\u9fff]{1,6}(?:·[\u3400-\u9fff]{1,6})+|[\uac00-\ud7af]{2,4}")

# The label that opens a credit: 作者 author, 记者 reporter, 采写 reported and written,
# 执笔 pen, 撰文/撰稿 written; 文 (text) only with its slash ("文/王文"), being common
# in prose. An outlet may come before the label ("南都记者", "证券时报网作者").
_CREDIT = re.compile(r"(?:作者|记者|采写|执笔|撰文|撰稿)\s*(?P<sep>[：:/／｜|])?\s*"
                     r"|文\s*(?P<slash>[/／｜|])\s*")
# where the names end: a bracket, a separator, the next label; or a digit (a date), which
# ends the names only of a credit whose label had its separator
_CREDIT_END = re.compile(r"[）)】\]|｜]|编辑|来源|出处|时间|发布|人气|责任|审核|校对|图片|字号")
_DIGIT = re.compile(r"\d")
# prose's punctuation: a label with no separator before it was a word in a sentence
_PROSE = re.compile(r"[，。；！？]")
_CREDIT_SPLIT = re.compile(r"[\s、，,&＆;；]+")
# a credit in brackets near the lead's start: "…12月9日电（记者唐霁）", "【文/王文】"
_LEAD_BRACKETS = re.compile(r"[（(【\[]([^（()）【】\[\]]{2,40})[）)】\]]")
_LEAD_REACH = 60
# what a reporter did, where a label read alone would take it for a name ("记者获悉" the
# reporter learned)
_VERBS = frozenset({"获悉", "了解", "发现", "看到", "注意到", "采访", "表示", "询问", "致电",
                    "走访", "调查", "证实", "从"})

# a source line: "来源：证券时报网", "出处：快科技"; the outlet ends at the next label
_SOURCE_LINE = re.compile(r"(?:来源|來源|出处|稿源)\s*[：:]?\s*([^\s|｜：:]{2,20})")
_NEXT_LABEL = re.compile(r"作者|记者|编辑|时间|发布")
_SOURCE_CLASS_XPATH = "//*[contains(@class, 'source')]"
# what sets the site's name off the headline in a <title>
_TITLE_SEPARATOR = re.compile(r"\s*[_|｜–—]\s*|\s+-\s+")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def cjk_name(part: str) -> str | None:
    """A name from a byline's part in one of these scripts; None for a label or chrome."""
    if "：" in part or ":" in part or any(word in part for word in _LABEL_WORDS):
        return None
    first, _, rest = part.partition(" ")
    if rest and _NAME_TOKEN.fullmatch(first) and (
            len(rest.replace(" ", "")) > 4 or _ROLE.search(rest)):
        return first
    return part


def _names(region: str) -> list[str]:
    """The names of a credit's text ("南都记者 余毅菁 向雪妮" -> both), roles dropped;
    none when anything else is in it (then it was prose, not a credit)."""
    names = []
    for token in _CREDIT_SPLIT.split(region.strip()):
        if not token or _ROLE.search(token):
            continue
        if token in _VERBS or not _NAME_TOKEN.fullmatch(token):
            return []
        names.append(token)
    return names


def credit_names(line: str) -> list[str]:
    """Names after each credit label in a short line ("作者：余毅菁 向雪妮")."""
    names: list[str] = []
    for label in _CREDIT.finditer(line):
        rest = line[label.end():]
        end = _CREDIT_END.search(rest)
        region = rest[:end.start()] if end else rest
        if label.group("sep") or label.group("slash"):
            digit = _DIGIT.search(region)
            names.extend(_names(region[:digit.start()] if digit else region))
        elif not _PROSE.search(region) and not _DIGIT.search(region):
            # "作者魏星", "（记者陈智 整合）": the names, and nothing else, up to the end
            names.extend(_names(region))
    return names


def lead_credit_names(text: str) -> list[str]:
    """The bracketed reporter at the start of a lead ("新京报快讯（记者 裴剑飞）今日…")."""
    names: list[str] = []
    for brackets in _LEAD_BRACKETS.finditer(text[:_LEAD_REACH]):
        names.extend(credit_names(brackets.group(1)))
    return names


def outlet_names(tree: HtmlElement) -> list[str]:
    """Outlets the page names as the story's source or as its site: "来源：证券时报网"
    lines, short elements classed as the source (Sina's ``<a class="source">``), and the
    parts of ``<title>`` after the headline ("…_网易新闻", "…|新浪科技_新浪网")."""
    found = []
    for element in tree.xpath(_SOURCE_CLASS_XPATH):
        if not any(word == "source" or word.endswith(("-source", "_source"))
                   for word in (element.get("class") or "").split()):
            continue
        text = " ".join(element.text_content().split())
        if len(text) <= 40 and has_cjk(text):
            line = _SOURCE_LINE.search(text)
            found.append(line.group(1) if line else text)
    for text in tree.xpath("//text()[contains(., '来源') or contains(., '來源')"
                           " or contains(., '出处') or contains(., '稿源')]"):
        for line in _SOURCE_LINE.finditer(str(text)):
            found.append(line.group(1))
    found = [_NEXT_LABEL.split(name)[0] for name in found]
    for title in tree.iter("title"):
        found.extend(part.strip() for part in _TITLE_SEPARATOR.split(title.text_content())[1:])
        break
    return [name for name in found if name and has_cjk(name)]


def is_outlet(name: str, outlets: list[str]) -> bool:
    """``name`` is one of ``outlets`` or opens one ("网易" of "网易新闻")."""
    return any(outlet.startswith(name) for outlet in outlets)
