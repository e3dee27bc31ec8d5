// The frame of every signed-in page: where one is, who one is, the language, sign-out.
import type { ReactNode } from 'react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Container from '@mui/material/Container';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import { useSession } from '../auth/session';
import { rememberLanguage, type Language } from '../i18n/i18n';

export function Shell({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { identity, displayName, signOut } = useSession();
  const navigate = useNavigate();
  const language = i18n.language as Language;
  const other: Language = language === 'fa' ? 'en' : 'fa';
  const name = displayName?.[language] ?? identity?.name ?? identity?.sub;
  return (
    <>
      <AppBar position="static" component="header">
        <Toolbar sx={{ flexWrap: 'wrap', gap: 1 }}>
          <Typography variant="h6" component="p" sx={{ flexGrow: 1 }}>
            {t('app.title')}
          </Typography>
          <Box component="nav" aria-label={t('nav.label')} sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
            <Button color="inherit" component={RouterLink} to="/">
              {t('nav.myWork')}
            </Button>
            <Button color="inherit" component={RouterLink} to="/candidacies">
              {t('nav.candidacies')}
            </Button>
            <Button
              color="inherit"
              lang={other}
              onClick={() => {
                rememberLanguage(other, identity?.sub);
                void i18n.changeLanguage(other);
              }}
            >
              {t('nav.otherLanguage')}
            </Button>
            <Button
              color="inherit"
              onClick={() => {
                void signOut().then(() => navigate('/sign-in'));
              }}
            >
              {t('nav.signOut')}
            </Button>
          </Box>
        </Toolbar>
      </AppBar>
      <Container component="main" maxWidth="lg" sx={{ py: 2, px: { xs: 1, sm: 2 } }}>
        {name && (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {t('shell.signedInAs', { name, role: t(`roles.${identity?.role}`) })}
          </Typography>
        )}
        {children}
      </Container>
    </>
  );
}
