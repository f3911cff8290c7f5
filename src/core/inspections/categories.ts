// The case category (问题类别 小类, core/categories.ts) a failed standard item files under. A standard item may name
// its own (standard_items.category_code, edited with the standard); the seed standard's items get one from this
// keyword table; anything left without one files under DEFAULT_INSPECTION_CATEGORY.
// Order matters: the first keyword the item's text contains wins, so specific words come first.

export const DEFAULT_INSPECTION_CATEGORY = '0699'; // 其他部件问题

export const ITEM_CATEGORY_KEYWORDS: readonly (readonly [keyword: string, categoryCode: string])[] = [
  ['闯红灯', DEFAULT_INSPECTION_CATEGORY], // behaviour on the road: no facility or unit to send it to
  ['礼让', DEFAULT_INSPECTION_CATEGORY],
  ['围挡', '1301'],
  ['扬尘', '1302'],
  ['裸土', '1302'],
  ['带泥', '1303'],
  ['充电', '1109'],
  ['飞线', '1109'],
  ['消防器材', '0103'],
  ['消防设施', '0103'],
  ['消防通道', '1110'],
  ['楼道', '1110'],
  ['非机动车', '1402'],
  ['机动车', '1401'],
  ['停车', '1401'],
  ['占道', '1404'],
  ['店外经营', '1404'],
  ['摊贩', '1403'],
  ['游商', '1403'],
  ['烧烤', '1405'],
  ['养犬', '1407'],
  ['犬只', '1407'],
  ['分类', '0104'],
  ['公共厕所', '0303'],
  ['公厕', '0303'],
  ['垃圾', '1101'],
  ['张贴', '1201'],
  ['小广告', '1201'],
  ['公益广告', '0301'],
  ['积水', '1501'],
  ['违法建设', '1105'],
  ['违建', '1105'],
  ['种菜', '0401'],
  ['晾挂', '1108'],
  ['晾晒', '1108'],
  ['盲道', '0202'],
  ['井盖', '0101'],
  ['路灯', '0102'],
  ['照明', '0102'],
  ['坑洼', '0201'],
  ['路面', '0201'],
  ['人行道', '0201'],
  ['宣传栏', '0601'],
];

/** The category the keyword table gives an item text, or null when no keyword matches. */
export function categoryForItemText(text: string): string | null {
  for (const [keyword, code] of ITEM_CATEGORY_KEYWORDS) if (text.includes(keyword)) return code;
  return null;
}
