"""GB/T 2260 province-level divisions: the names a regulator reads beside a region code.

A region code (``Company.region_code``, the USCC's characters 3–8) opens with the two digits of
its province-level division. :func:`region_label` prints ``330100 Zhejiang (浙江省)``; codes
outside the table are printed as they are, never dropped.
"""

from __future__ import annotations

PROVINCES: dict[str, tuple[str, str]] = {
    "11": ("Beijing", "北京市"), "12": ("Tianjin", "天津市"), "13": ("Hebei", "河北省"),
    "14": ("Shanxi", "山西省"), "15": ("Inner Mongolia", "内蒙古自治区"),
    "21": ("Liaoning", "辽宁省"), "22": ("Jilin", "吉林省"), "23": ("Heilongjiang", "黑龙江省"),
    "31": ("Shanghai", "上海市"), "32": ("Jiangsu", "江苏省"), "33": ("Zhejiang", "浙江省"),
    "34": ("Anhui", "安徽省"), "35": ("Fujian", "福建省"), "36": ("Jiangxi", "江西省"),
    "37": ("Shandong", "山东省"), "41": ("Henan", "河南省"), "42": ("Hubei", "湖北省"),
    "43": ("Hunan", "湖南省"), "44": ("Guangdong", "广东省"),
    "45": ("Guangxi", "广西壮族自治区"), "46": ("Hainan", "海南省"),
    "50": ("Chongqing", "重庆市"), "51": ("Sichuan", "四川省"), "52": ("Guizhou", "贵州省"),
    "53": ("Yunnan", "云南省"), "54": ("Xizang (Tibet)", "西藏自治区"),
    "61": ("Shaanxi", "陕西省"), "62": ("Gansu", "甘肃省"), "63": ("Qinghai", "青海省"),
    "64": ("Ningxia", "宁夏回族自治区"), "65": ("Xinjiang", "新疆维吾尔自治区"),
    "71": ("Taiwan", "台湾省"), "81": ("Hong Kong", "香港特别行政区"),
    "82": ("Macao", "澳门特别行政区"),
}
"""Two-digit GB/T 2260 province code → (English name, Chinese name)."""


def province_name(code: str | None, chinese: bool = True) -> str | None:
    """``Zhejiang (浙江省)`` (or ``Zhejiang`` without ``chinese``) for any code starting with
    ``33``; None when unknown or empty."""
    entry = PROVINCES.get((code or "").strip()[:2])
    if not entry:
        return None
    return f"{entry[0]} ({entry[1]})" if chinese else entry[0]


def region_label(code: str | None) -> str:
    """The code with its province's name beside it (``330100 Zhejiang (浙江省)``); the bare code
    when the table does not know it; ``–`` for no code."""
    text = (code or "").strip()
    if not text:
        return "–"
    name = province_name(text)
    return f"{text} {name}" if name else text
