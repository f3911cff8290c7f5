// Word lists for the demo street: people, roads, communities, compounds and shops that read like a real 街道 in
// 淄博市张店区. Everything here is invented; real place words (柳泉, 华光, 周村烧饼…) only give local colour.
import type { Rng } from '../../../core/prng.js';

/** [character, pinyin, relative frequency]; frequencies roughly follow Shandong's common surnames. */
export const SURNAMES: readonly (readonly [string, string, number])[] = [
  ['王', 'wang', 10], ['李', 'li', 9], ['张', 'zhang', 9], ['刘', 'liu', 7], ['孙', 'sun', 5], ['陈', 'chen', 4],
  ['杨', 'yang', 4], ['赵', 'zhao', 4], ['马', 'ma', 3], ['徐', 'xu', 3], ['于', 'yu', 3], ['高', 'gao', 3],
  ['孟', 'meng', 2], ['宋', 'song', 2], ['韩', 'han', 2], ['郭', 'guo', 2], ['姜', 'jiang', 2], ['曹', 'cao', 2],
  ['毕', 'bi', 2], ['崔', 'cui', 2], ['田', 'tian', 2], ['翟', 'zhai', 2], ['董', 'dong', 2], ['周', 'zhou', 2],
  ['吴', 'wu', 2], ['魏', 'wei', 2], ['吕', 'lv', 1], ['袁', 'yuan', 1], ['邢', 'xing', 1], ['路', 'lu', 1],
  ['岳', 'yue', 1], ['边', 'bian', 1], ['石', 'shi', 1], ['蒲', 'pu', 1], ['耿', 'geng', 1], ['牛', 'niu', 1],
  ['丁', 'ding', 1], ['许', 'xu', 1], ['史', 'shi', 1], ['房', 'fang', 1], ['冯', 'feng', 1], ['焦', 'jiao', 1],
];

export const MALE_GIVEN: readonly (readonly [string, string])[] = [
  ['建', 'jian'], ['国', 'guo'], ['军', 'jun'], ['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['勇', 'yong'],
  ['志', 'zhi'], ['明', 'ming'], ['刚', 'gang'], ['涛', 'tao'], ['鹏', 'peng'], ['斌', 'bin'], ['超', 'chao'],
  ['浩', 'hao'], ['杰', 'jie'], ['文', 'wen'], ['海', 'hai'], ['峰', 'feng'], ['东', 'dong'], ['波', 'bo'],
  ['宇', 'yu'], ['晨', 'chen'], ['健', 'jian'], ['庆', 'qing'], ['新', 'xin'], ['华', 'hua'], ['德', 'de'],
  ['成', 'cheng'], ['立', 'li'], ['振', 'zhen'], ['俊', 'jun'], ['凯', 'kai'], ['兴', 'xing'], ['春', 'chun'],
  ['永', 'yong'], ['学', 'xue'], ['平', 'ping'], ['良', 'liang'], ['广', 'guang'],
];

export const FEMALE_GIVEN: readonly (readonly [string, string])[] = [
  ['丽', 'li'], ['娟', 'juan'], ['敏', 'min'], ['静', 'jing'], ['燕', 'yan'], ['艳', 'yan'], ['霞', 'xia'],
  ['玲', 'ling'], ['芳', 'fang'], ['红', 'hong'], ['梅', 'mei'], ['婷', 'ting'], ['雪', 'xue'], ['慧', 'hui'],
  ['萍', 'ping'], ['琳', 'lin'], ['颖', 'ying'], ['洁', 'jie'], ['倩', 'qian'], ['莉', 'li'], ['秀', 'xiu'],
  ['晓', 'xiao'], ['佳', 'jia'], ['欣', 'xin'], ['楠', 'nan'], ['璐', 'lu'], ['凤', 'feng'], ['桂', 'gui'],
  ['英', 'ying'], ['云', 'yun'], ['蕾', 'lei'], ['玉', 'yu'], ['珍', 'zhen'], ['荣', 'rong'], ['兰', 'lan'],
];

export interface PersonName {
  displayName: string;
  /** ASCII pinyin without tones or spaces, e.g. `wangjianguo`: the base for a username. */
  pinyin: string;
  surname: string;
}

/** A random Chinese personal name; pass a surname character to fix it (e.g. the owner of 张记烧烤). */
export function randomPersonName(rng: Rng, surname?: string): PersonName {
  const family = (surname && SURNAMES.find(([char]) => char === surname)) || rng.weighted(SURNAMES, ([, , w]) => w);
  const given = rng.chance(0.5) ? MALE_GIVEN : FEMALE_GIVEN;
  const first = rng.pick(given);
  const parts = [first];
  if (rng.chance(0.75)) {
    let second = rng.pick(given);
    while (second[0] === first[0]) second = rng.pick(given);
    parts.push(second);
  }
  return {
    displayName: family[0] + parts.map(([char]) => char).join(''),
    pinyin: family[1] + parts.map(([, py]) => py).join(''),
    surname: family[0],
  };
}

const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '180', '181', '182', '183', '185', '186', '187', '188', '189',
] as const;

/** A fake 11-digit mainland mobile number (13x/15x/18x). */
export function randomMobile(rng: Rng): string {
  let rest = '';
  for (let index = 0; index < 8; index += 1) rest += String(rng.int(0, 9));
  return rng.pick(MOBILE_PREFIXES) + rest;
}

export const STREET_NAME = '柳泉街道';
export const STREET_SHORT_NAME = '柳泉';

/** Six 社区, in the order they are laid out: north-west, north, north-east, south-west, south, south-east. */
export const COMMUNITY_NAMES = ['华光社区', '文苑社区', '杏园社区', '西五社区', '青年社区', '莲池社区'] as const;

/** East–west roads, assigned south to north. */
export const EAST_WEST_ROADS = ['共青团西路', '华光路', '人民西路', '新村西路', '杏园路', '北苑路'] as const;
/** North–south roads, assigned west to east (张店's 西N路 count down towards the centre). */
export const NORTH_SOUTH_ROADS = ['西八路', '西七路', '西六路', '柳泉路', '西五路', '文化路', '西四路', '青年路', '兴学街', '槐荫路'] as const;

export const NAMED_LANES = ['槐荫巷', '杏林巷', '文昌巷', '石榴巷', '榆树胡同', '鸿福巷', '丰乐巷', '永安巷', '仁和巷', '书院巷'] as const;

export const COMPOUND_WORDS = [
  '金茂', '锦绣', '阳光', '丽景', '和美', '颐和', '盛世', '名都', '怡然', '康乐', '书香', '东方', '兴华', '福瑞',
  '万福', '嘉和', '翠微', '馨园', '泰和', '齐鲁', '鲁中', '明珠', '银河', '恒信', '祥和', '瑞丰', '凤凰', '润泽',
  '华府', '御景', '龙凤', '新城', '海棠', '紫薇', '丁香', '紫荆', '天鸿', '清华', '柳泉', '杏林', '金色', '银座',
] as const;
export const COMPOUND_SUFFIXES: readonly (readonly [string, number])[] = [
  ['小区', 5], ['花园', 3], ['家园', 3], ['苑', 2], ['雅居', 1], ['公寓', 1], ['嘉园', 1], ['名邸', 1], ['新村', 1],
];
export const COMPOUND_BRANDS = ['华润·', '中房·', '鲁商·', '万科·', '绿地·', '齐盛·'] as const;
export const COMPOUND_BRAND_WORDS = ['悦府', '翡翠园', '凤凰城', '公园里', '世纪城', '御园', '观澜', '铂悦'] as const;

/** Old work-unit compounds (单位宿舍/家属院) typical of a 1980s–90s industrial city. */
export const OLD_WORK_UNITS = [
  '化工厂', '纺织厂', '供销社', '粮食局', '电业局', '邮电局', '陶瓷厂', '机械厂', '糖酒公司', '一建公司', '印染厂',
  '橡胶厂', '玻璃厂', '一中', '卫生局', '交通局', '物资局', '百货站', '水泥厂', '自来水公司', '棉纺厂', '二轻局',
  '食品公司', '药材站', '新华书店', '农机公司',
] as const;

export const SHOP_BRANDS = [
  '鑫源', '福满多', '家家乐', '顺心', '老街坊', '惠民', '邻里', '百姓', '金福', '悦来', '同心', '兴旺', '鸿运',
  '好运来', '如意', '聚福', '顺发', '天天', '美佳', '新颜', '丽人', '金剪刀', '星光', '时尚', '阳光', '乐购',
  '益民', '小巷', '味道', '老地方', '一品', '喜洋洋', '红房子', '蓝天', '晨光', '德顺',
] as const;
/** 餐饮及"五小" (small eateries, grocers, barbers, bathhouses, internet cafés, small hotels…). */
export const SHOP_CATEGORIES = [
  '便利店', '超市', '理发店', '美发工作室', '美容院', '烧烤', '饭店', '快餐', '水饺馆', '面馆', '洗浴中心', '网咖',
  '水果店', '干洗店', '烟酒店', '粮油店', '蛋糕店', '早餐店', '熟食店', '川菜馆', '炒鸡店', '羊汤馆', '茶叶店',
  '足疗店', '小旅馆',
] as const;
/** `{surname}记{food}`, e.g. 张记烧烤. */
export const SURNAME_FOODS = ['烧烤', '水饺', '拉面', '包子铺', '煎饼', '馄饨', '羊汤', '烧饼', '卤肉', '炒鸡', '粥铺', '米线'] as const;
/** Zibo specialities, as `{prefix}{dish}`: 老王家周村烧饼, 鑫源博山菜馆. */
export const LOCAL_DISHES = ['周村烧饼', '博山菜馆', '淄川肉烧饼', '临淄羊肉汤', '淄博烧烤', '博山酥锅'] as const;

export const MARKET_FORMS = ['农贸市场', '集贸市场', '便民早市'] as const;

export const SCHOOLS = ['张店区实验小学', '张店区第九中学', '柳泉小学', '华光幼儿园', '西五路小学', '文苑中学'] as const;

export const VILLAGES = ['北营村', '后孙村', '王家庄', '小杨村', '东刘村', '马庄村'] as const;

export const SUPERMARKETS = ['银座超市', '家家悦超市', '利群超市', '华联超市', '万家福购物广场', '柳泉购物中心', '大润发', '苏宁易购'] as const;

export const HOTELS = ['如家酒店', '汉庭酒店', '锦江之星', '7天酒店', '格林豪泰酒店', '柳泉宾馆', '华光大酒店', '金都商务宾馆'] as const;
/** Hotels named after themselves rather than a chain: no `(…店)` suffix. */
export const INDEPENDENT_HOTELS: readonly string[] = ['柳泉宾馆', '华光大酒店', '金都商务宾馆'];

export const CONSTRUCTION_PROJECTS = [
  '悦府二期项目', '老旧小区改造工程', '雨污分流改造工程', '商业综合体项目', '棚户区改造安置房项目', '学校教学楼扩建工程',
  '综合管廊工程', '社区养老服务中心建设项目',
] as const;
