import { Segmented } from 'antd';
import { useI18n } from '../i18n/I18nProvider.js';
import type { Lang } from '../i18n/core.js';

/** 中文 / EN toggle; the choice is remembered on this device and, when signed in, on the account. */
export function LanguageSwitch({ size = 'small' }: { size?: 'small' | 'middle' | 'large' }) {
  const { lang, setLang } = useI18n();
  return (
    <Segmented<Lang>
      size={size}
      value={lang}
      onChange={setLang}
      data-testid="lang-switch"
      options={[
        { label: <span data-testid="lang-zh">中文</span>, value: 'zh-CN' },
        { label: <span data-testid="lang-en">EN</span>, value: 'en-US' },
      ]}
    />
  );
}
