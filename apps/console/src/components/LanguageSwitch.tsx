import Button from '@mui/material/Button';
import { useTranslation } from 'react-i18next';
import { rememberLanguage, type Language } from '../i18n/i18n';

/** Switches between Persian and English before anyone is signed in. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const other: Language = i18n.language === 'fa' ? 'en' : 'fa';
  return (
    <Button
      lang={other}
      onClick={() => {
        rememberLanguage(other);
        void i18n.changeLanguage(other);
      }}
    >
      {t('nav.otherLanguage')}
    </Button>
  );
}
