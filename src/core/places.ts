// 点位 (points): the places inspectors test. The type list is seed data; the campaign office can edit it.
export type GeometryKind = 'point' | 'line' | 'polygon';

export interface PointTypeField {
  key: string;
  zh: string;
  en: string;
  type: 'integer' | 'number' | 'string';
  unit?: string;
  min?: number;
  max?: number;
}

export interface PointTypeSeed {
  code: string;
  zh: string;
  en: string;
  geometry: GeometryKind;
  fields: PointTypeField[];
}

export const POINT_TYPE_SEED: PointTypeSeed[] = [
  { code: 'community_center', zh: '社区(党群服务中心/新时代文明实践站)', en: 'Community centre / civilization practice station', geometry: 'point', fields: [] },
  { code: 'residential', zh: '居民小区', en: 'Residential compound', geometry: 'polygon', fields: [
    { key: 'households', zh: '户数', en: 'Households', type: 'integer', min: 0, max: 100000 },
    { key: 'buildings', zh: '楼栋数', en: 'Buildings', type: 'integer', min: 0, max: 1000 },
  ] },
  { code: 'old_residential', zh: '老旧小区', en: 'Old residential compound', geometry: 'polygon', fields: [
    { key: 'households', zh: '户数', en: 'Households', type: 'integer', min: 0, max: 100000 },
    { key: 'builtYear', zh: '建成年份', en: 'Year built', type: 'integer', min: 1900, max: 2100 },
  ] },
  { code: 'back_street', zh: '背街小巷', en: 'Back street / alley', geometry: 'line', fields: [
    { key: 'lengthM', zh: '长度', en: 'Length', type: 'number', unit: 'm', min: 0, max: 100000 },
  ] },
  { code: 'main_road', zh: '主次干道', en: 'Main / secondary road', geometry: 'line', fields: [
    { key: 'lengthM', zh: '长度', en: 'Length', type: 'number', unit: 'm', min: 0, max: 100000 },
  ] },
  { code: 'commercial_street', zh: '商业大街', en: 'Commercial street', geometry: 'line', fields: [
    { key: 'lengthM', zh: '长度', en: 'Length', type: 'number', unit: 'm', min: 0, max: 100000 },
    { key: 'shops', zh: '沿街商户数', en: 'Shops', type: 'integer', min: 0, max: 10000 },
  ] },
  { code: 'market', zh: '农贸(集贸)市场', en: 'Farmers\' market', geometry: 'polygon', fields: [
    { key: 'stalls', zh: '摊位数', en: 'Stalls', type: 'integer', min: 0, max: 10000 },
  ] },
  { code: 'small_shop', zh: '餐饮及"五小"门店', en: 'Restaurant / small shop', geometry: 'point', fields: [] },
  { code: 'park_square', zh: '公园广场', en: 'Park / square', geometry: 'polygon', fields: [
    { key: 'areaM2', zh: '面积', en: 'Area', type: 'number', unit: 'm²', min: 0, max: 10000000 },
  ] },
  { code: 'bus_stop', zh: '公交站点', en: 'Bus stop', geometry: 'point', fields: [] },
  { code: 'public_toilet', zh: '室外公共厕所', en: 'Outdoor public toilet', geometry: 'point', fields: [] },
  { code: 'construction_site', zh: '建筑工地', en: 'Construction site', geometry: 'polygon', fields: [
    { key: 'hoardingM2', zh: '围挡面积', en: 'Hoarding area', type: 'number', unit: 'm²', min: 0, max: 1000000 },
  ] },
  { code: 'school_area', zh: '学校周边', en: 'School surroundings', geometry: 'polygon', fields: [] },
  { code: 'hospital', zh: '医院', en: 'Hospital', geometry: 'point', fields: [] },
  { code: 'service_window', zh: '窗口单位', en: 'Public service window', geometry: 'point', fields: [] },
  { code: 'mall', zh: '商场超市', en: 'Mall / supermarket', geometry: 'point', fields: [] },
  { code: 'hotel', zh: '宾馆酒店', en: 'Hotel', geometry: 'point', fields: [] },
  { code: 'intersection', zh: '主要交通路口', en: 'Major intersection', geometry: 'point', fields: [] },
  { code: 'urban_fringe', zh: '城乡接合部', en: 'Urban–rural fringe', geometry: 'polygon', fields: [] },
];
