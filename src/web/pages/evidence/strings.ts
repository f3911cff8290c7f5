// zh-CN and en-US strings of the 材料审核 page (kept beside it, like the standards page).
export const STRINGS = {
  'zh-CN': {
    title: '材料审核', subtitle: '测评体系中“材料审核”类测评标准：按单位和测评周期提交佐证材料，创城办审核符合/不符合',
    org: '单位', period: '测评周期', periodHint: '年份（如 2026）或名称，回车确认', lacking: '只看缺材料', export: '导出 Excel',
    total: '审核项', none: '缺材料', pending: '待审核', meets: '符合', fails: '不符合', submittedPercent: '材料提交率', metPercent: '符合率',
    noOrg: '你所在的单位不提交材料审核材料（由街道和社区提交）。', empty: '没有需要显示的测评标准', allDone: '所有测评标准均已提交材料且未被判为不符合',
    code: '编号', text: '测评标准', status: '状态', files: '材料', reviewed: '审核', actions: '操作', open: '查看', upload: '上传',
    points: '分值', rule: '计分规则', fileList: '佐证材料', noFiles: '尚未提交材料', drop: '点击或拖入文件上传', dropHint: '支持 PDF、JPG/PNG/WebP 图片、Word（.docx）、Excel（.xlsx），可多选；按文件内容识别类型，图片会去除拍摄信息',
    uploaded: '已上传', duplicate: '已存在相同文件，已跳过', remove: '删除', removeConfirm: '删除该文件后需重新审核，确定删除？', removed: '已删除',
    download: '下载', preview: '预览', review: '审核意见', commentPlaceholder: '审核意见（判为不符合时必填：缺什么、怎么补）', markMeets: '符合', markFails: '不符合',
    reviewedOk: '已审核', needComment: '判为不符合时请填写原因', stale: '材料已被他人更新，已刷新，请重新审核', lastReview: '上次审核', history: '审核记录',
    actionUpload: '提交材料', actionRemove: '删除材料', actionReview: '审核', by: '', reviewer: '审核人', submittedAt: '最近提交', readOnly: '你可以查看材料，提交和审核由街道、社区和创城办负责。',
  },
  'en-US': {
    title: 'Document review', subtitle: 'Standard items assessed by document review: evidence per org and period, judged meets / does not meet by the campaign office',
    org: 'Org', period: 'Period', periodHint: 'a year (2026) or a label; press Enter', lacking: 'Only lacking', export: 'Export Excel',
    total: 'Items', none: 'No evidence', pending: 'Pending', meets: 'Meets', fails: 'Does not meet', submittedPercent: 'Submitted', metPercent: 'Meets',
    noOrg: 'Your org does not hand in evidence (streets and communities do).', empty: 'No items to show', allDone: 'Every item has evidence and none is judged “does not meet”',
    code: 'Code', text: 'Standard', status: 'Status', files: 'Files', reviewed: 'Review', actions: 'Actions', open: 'Open', upload: 'Upload',
    points: 'Points', rule: 'Scoring rule', fileList: 'Evidence', noFiles: 'No evidence yet', drop: 'Click or drop files to upload', dropHint: 'PDF, JPG/PNG/WebP images, Word (.docx), Excel (.xlsx); several at once. Types are decided by content; photo metadata is removed',
    uploaded: 'Uploaded', duplicate: 'Same file already there, skipped', remove: 'Remove', removeConfirm: 'The item will need review again. Remove this file?', removed: 'Removed',
    download: 'Download', preview: 'Preview', review: 'Review', commentPlaceholder: 'Comment (required for “does not meet”: what is missing)', markMeets: 'Meets', markFails: 'Does not meet',
    reviewedOk: 'Reviewed', needComment: 'Say why it does not meet', stale: 'Someone changed the evidence; reloaded, please review again', lastReview: 'Last review', history: 'History',
    actionUpload: 'Evidence submitted', actionRemove: 'Evidence removed', actionReview: 'Reviewed', by: 'by ', reviewer: 'Reviewer', submittedAt: 'Last submitted', readOnly: 'You can read the evidence; streets, communities and the office submit and review it.',
  },
} as const;

export type Strings = (typeof STRINGS)[keyof typeof STRINGS];
