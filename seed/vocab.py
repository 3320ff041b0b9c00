"""Reference vocabularies of the synthetic world: regions, industries, names, agencies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from riskgraph.seed.arrays import FloatArray, IntArray

EPOCH = dt.date(1970, 1, 1)


def day(year: int, month: int = 1, dom: int = 1) -> int:
    """Days since 1970-01-01 (Arrow ``date32``)."""
    return (dt.date(year, month, dom) - EPOCH).days


FIRST_YEAR, LAST_YEAR = 2018, 2025
"""Credit records, tenders and inspections fall in these years (inclusive)."""
WINDOW_START, AS_OF = day(FIRST_YEAR), day(LAST_YEAR, 12, 31)
OLDEST_FOUNDING = day(1988)


@dataclass(frozen=True)
class Region:
    code: str
    province: str
    city: str
    city_en: str
    weight: float


REGIONS: tuple[Region, ...] = (
    Region("330100", "浙江省", "杭州市", "Hangzhou", 9.0),
    Region("330200", "浙江省", "宁波市", "Ningbo", 7.0),
    Region("330300", "浙江省", "温州市", "Wenzhou", 6.0),
    Region("330400", "浙江省", "嘉兴市", "Jiaxing", 3.5),
    Region("330500", "浙江省", "湖州市", "Huzhou", 2.5),
    Region("330600", "浙江省", "绍兴市", "Shaoxing", 3.5),
    Region("330700", "浙江省", "金华市", "Jinhua", 4.5),
    Region("330800", "浙江省", "衢州市", "Quzhou", 1.2),
    Region("330900", "浙江省", "舟山市", "Zhoushan", 0.8),
    Region("331000", "浙江省", "台州市", "Taizhou", 4.0),
    Region("331100", "浙江省", "丽水市", "Lishui", 1.2),
    Region("320100", "江苏省", "南京市", "Nanjing", 6.0),
    Region("320200", "江苏省", "无锡市", "Wuxi", 4.5),
    Region("320300", "江苏省", "徐州市", "Xuzhou", 3.0),
    Region("320400", "江苏省", "常州市", "Changzhou", 3.0),
    Region("320500", "江苏省", "苏州市", "Suzhou", 8.0),
    Region("320600", "江苏省", "南通市", "Nantong", 3.5),
    Region("320700", "江苏省", "连云港市", "Lianyungang", 1.5),
    Region("320900", "江苏省", "盐城市", "Yancheng", 2.0),
    Region("321000", "江苏省", "扬州市", "Yangzhou", 2.0),
    Region("440100", "广东省", "广州市", "Guangzhou", 10.0),
    Region("440300", "广东省", "深圳市", "Shenzhen", 12.0),
    Region("440400", "广东省", "珠海市", "Zhuhai", 2.0),
    Region("440600", "广东省", "佛山市", "Foshan", 5.0),
    Region("441300", "广东省", "惠州市", "Huizhou", 2.5),
    Region("441900", "广东省", "东莞市", "Dongguan", 6.0),
    Region("442000", "广东省", "中山市", "Zhongshan", 2.5),
    Region("510100", "四川省", "成都市", "Chengdu", 8.0),
    Region("510600", "四川省", "德阳市", "Deyang", 1.2),
    Region("510700", "四川省", "绵阳市", "Mianyang", 1.5),
    Region("511300", "四川省", "南充市", "Nanchong", 1.2),
    Region("410100", "河南省", "郑州市", "Zhengzhou", 6.0),
    Region("410300", "河南省", "洛阳市", "Luoyang", 2.0),
    Region("410700", "河南省", "新乡市", "Xinxiang", 1.5),
    Region("411300", "河南省", "南阳市", "Nanyang", 1.5),
)
REGION_PROVINCE: IntArray = np.array([int(r.code[:2]) for r in REGIONS], dtype=np.int64)
REGION_WEIGHTS: FloatArray = np.array([r.weight for r in REGIONS], dtype=np.float64)


@dataclass(frozen=True)
class Industry:
    """A GB/T 4754-2017 division with its supply-chain tier and procurement category.

    Tiers: 0 raw materials and energy, 1 intermediate goods, 2 finished goods, 3 distribution,
    construction and consumer services, 4 business services (supply every tier).
    """

    code: str
    word: str
    tier: int
    tender: int  # index into TENDER_CATEGORIES, -1 when the industry does not bid
    risk: float  # additive effect on the latent violation logit
    weight: float


TENDER_CATEGORIES = ("goods", "works", "services")
GOODS, WORKS, SERVICES = 0, 1, 2

INDUSTRIES: tuple[Industry, ...] = (
    Industry("A01", "农业", 0, GOODS, 0.1, 3.0),
    Industry("A03", "畜牧", 0, GOODS, 0.3, 1.5),
    Industry("B06", "煤炭", 0, -1, 0.5, 0.3),
    Industry("B10", "矿业", 0, -1, 0.5, 0.4),
    Industry("D44", "电力", 0, -1, 0.0, 0.4),
    Industry("C13", "农副食品", 1, GOODS, 0.3, 2.0),
    Industry("C14", "食品", 2, GOODS, 0.4, 1.5),
    Industry("C17", "纺织", 1, GOODS, 0.1, 2.0),
    Industry("C18", "服饰", 2, GOODS, 0.1, 2.0),
    Industry("C22", "纸业", 1, GOODS, 0.3, 0.8),
    Industry("C26", "化工", 1, GOODS, 0.6, 1.2),
    Industry("C27", "医药", 2, GOODS, 0.3, 0.6),
    Industry("C29", "塑胶", 1, GOODS, 0.2, 1.5),
    Industry("C30", "建材", 1, GOODS, 0.4, 1.5),
    Industry("C31", "钢铁", 1, GOODS, 0.4, 0.4),
    Industry("C33", "金属制品", 1, GOODS, 0.2, 2.5),
    Industry("C34", "机械设备", 2, GOODS, 0.0, 2.5),
    Industry("C35", "专用设备", 2, GOODS, 0.0, 2.0),
    Industry("C36", "汽车配件", 2, GOODS, 0.0, 0.8),
    Industry("C38", "电气", 2, GOODS, 0.0, 2.0),
    Industry("C39", "电子科技", 2, GOODS, -0.1, 2.0),
    Industry("E47", "建设工程", 3, WORKS, 0.5, 3.0),
    Industry("E48", "路桥工程", 3, WORKS, 0.5, 2.0),
    Industry("E50", "装饰工程", 3, WORKS, 0.4, 3.0),
    Industry("F51", "贸易", 3, GOODS, 0.2, 14.0),
    Industry("F52", "商贸", 3, GOODS, 0.1, 12.0),
    Industry("G54", "物流", 4, SERVICES, 0.2, 3.0),
    Industry("G59", "仓储", 4, SERVICES, 0.1, 1.0),
    Industry("H61", "酒店管理", 3, -1, 0.1, 1.5),
    Industry("H62", "餐饮管理", 3, -1, 0.3, 4.0),
    Industry("I64", "网络科技", 4, SERVICES, -0.1, 2.0),
    Industry("I65", "信息技术", 4, SERVICES, -0.2, 5.0),
    Industry("J69", "投资管理", 4, -1, 0.6, 0.6),
    Industry("K70", "房地产开发", 3, -1, 0.5, 3.0),
    Industry("L71", "租赁", 4, SERVICES, 0.1, 1.0),
    Industry("L72", "企业管理咨询", 4, SERVICES, 0.2, 9.0),
    Industry("M73", "研究院", 4, SERVICES, -0.2, 0.5),
    Industry("M75", "科技发展", 4, SERVICES, -0.1, 6.0),
    Industry("N77", "环保科技", 4, SERVICES, 0.1, 0.8),
    Industry("O80", "家政服务", 3, SERVICES, 0.2, 2.0),
    Industry("O81", "汽车维修", 3, -1, 0.1, 1.5),
    Industry("P83", "教育科技", 3, SERVICES, 0.1, 1.0),
    Industry("Q84", "医疗", 3, SERVICES, 0.3, 0.8),
    Industry("R88", "文化传媒", 4, SERVICES, 0.0, 1.0),
)
INDUSTRY_TIER: IntArray = np.array([i.tier for i in INDUSTRIES], dtype=np.int64)
INDUSTRY_TENDER: IntArray = np.array([i.tender for i in INDUSTRIES], dtype=np.int64)
INDUSTRY_RISK: FloatArray = np.array([i.risk for i in INDUSTRIES], dtype=np.float64)
INDUSTRY_WEIGHTS: FloatArray = np.array([i.weight for i in INDUSTRIES], dtype=np.float64)
SHELL_INDUSTRIES = ("L72", "F51", "M75", "I65")


def industry_index(code: str) -> int:
    return next(i for i, ind in enumerate(INDUSTRIES) if ind.code == code)


OWNERSHIP = ("private", "state_owned", "foreign", "joint_venture", "collective")
PRIVATE, STATE_OWNED, FOREIGN, JOINT_VENTURE, COLLECTIVE = range(5)
OWNERSHIP_WEIGHTS = (0.855, 0.05, 0.025, 0.04, 0.03)

STATUS = ("active", "dissolved", "revoked", "suspended")
ACTIVE, DISSOLVED, REVOKED, SUSPENDED = range(4)

TRADE_CHARS = (
    "华中国兴昌盛泰恒达信和宏鑫源丰鼎新安康永正德明光辉隆金荣博瑞祥福嘉宇腾飞天海星辰锦"
    "豪远创维联合汇通顺发利众诚益佳润泽晨阳东方南北西江山川林森宝盈科普睿智优品卓越凯"
    "圣美合力欣悦云峰晟翔聚贤成立业广厚元亨鸿运伟新涛瀚洋启航"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
SURNAME_WEIGHTS: FloatArray = 1.0 / np.arange(1, len(SURNAMES) + 1, dtype=np.float64) ** 0.9
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红文斌辉鹏宇浩凯俊峰婷玉兰海燕雪梅"
    "晨阳欣怡佳琪子轩梓涵一诺思远嘉豪晓东小龙春生秋菊永福德胜家乐雨萱博文天佑"
)
FOREIGN_NAMES = (
    "John Smith", "Maria Garcia", "Hiroshi Tanaka", "Kim Min-jun", "Hans Müller",
    "David Lee", "Anna Schmidt", "Michael Brown", "Yuki Sato", "Park Ji-hoon",
    "Chan Tai Man", "Wong Ka Wai", "Tan Wei Ming", "James Wilson", "Sophie Martin",
)
FOREIGN_NATIONALITIES = ("HK", "US", "JP", "KR", "DE", "SG", "GB", "FR")

ROADS = (
    "人民路", "解放路", "中山路", "建设路", "文化路", "新华路", "和平路", "胜利路", "长江路",
    "黄河路", "科技路", "创业路", "工业大道", "滨江大道", "环城北路", "环城南路", "东风路",
    "青年路", "花园路", "学院路", "迎宾大道", "金融街", "世纪大道", "高新大道", "开发区大道",
)
DISTRICTS = ("城区", "高新区", "经开区", "新区", "工业园区", "东区", "西区", "南区", "北区")
BUSINESS_CENTRES = ("商务秘书中心", "众创空间", "孵化器", "总部经济园", "电商产业园")

BUYERS = (
    "人民医院", "中医院", "交通运输局", "教育局", "第一中学", "实验小学", "住房和城乡建设局",
    "水利局", "公安局", "卫生健康委员会", "城市管理局", "自然资源和规划局", "农业农村局",
    "市场监督管理局", "生态环境局", "机关事务管理局", "城市建设投资集团有限公司",
    "交通投资集团有限公司", "供水有限公司", "文化广电旅游局",
)
TENDER_WORDS = ("货物采购项目", "工程施工项目", "服务采购项目")
PROCEDURES = ("open", "selective", "limited", "direct")
PROCEDURE_WEIGHTS = (0.6, 0.12, 0.13, 0.15)

INSPECTING_AGENCIES = (
    "Administration for Market Regulation", "Ecology and Environment Bureau",
    "Emergency Management Bureau", "Health Commission",
)
INSPECTING_WEIGHTS = (0.7, 0.1, 0.1, 0.1)
