// Sign in: the demo people of the embedded default, by role (local mode), or the identity provider.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Container from '@mui/material/Container';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router-dom';
import { ROLES } from '@kudak/contracts/actor.types';
import { fetchDemoPeople } from '../auth/auth-api';
import { useSession } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PageSkeleton } from '../components/PageSkeleton';
import type { Language } from '../i18n/i18n';

export default function SignIn() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const session = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const local = session.config?.mode === 'local';
  const people = useQuery({ queryKey: ['demo-people'], queryFn: fetchDemoPeople, enabled: local });

  if (session.identity) return <Navigate to="/" replace />;
  return (
    <Container component="main" maxWidth="md" sx={{ py: 3, px: { xs: 1, sm: 2 } }}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', mb: 2 }}>
        <Typography variant="h4" component="h1">
          {t('signIn.title')}
        </Typography>
        <LanguageSwitch />
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
      {!session.ready && <PageSkeleton />}
      {session.config?.mode === 'oidc' && (
        <Button variant="contained" onClick={() => void session.signInOidc()}>
          {t('signIn.withProvider')}
        </Button>
      )}
      {local && people.isPending && <PageSkeleton />}
      {local && people.isError && <ErrorAlert error={people.error} />}
      {local &&
        people.data &&
        ROLES.filter((role) => people.data.some((p) => p.role === role)).map((role) => (
          <section key={role} aria-labelledby={`role-${role}`}>
            <Typography id={`role-${role}`} variant="h6" component="h2" sx={{ mt: 2, mb: 1 }}>
              {t(`roles.${role}`)}
            </Typography>
            <Grid container spacing={1}>
              {people.data
                .filter((p) => p.role === role)
                .map((person) => (
                  <Grid key={person.id} size={{ xs: 12, sm: 6, md: 4 }}>
                    <Card variant="outlined">
                      <CardActionArea
                        onClick={() => {
                          session.signInLocal(person.id).then(
                            () => navigate('/'),
                            (err: Error) => setError(err.message),
                          );
                        }}
                      >
                        <CardContent>
                          <Typography component="span" variant="subtitle1" sx={{ display: 'block' }}>
                            {person.name[language]}
                          </Typography>
                          <Typography component="span" variant="body2" color="text.secondary">
                            {person.organisation[language]}
                          </Typography>
                        </CardContent>
                      </CardActionArea>
                    </Card>
                  </Grid>
                ))}
            </Grid>
          </section>
        ))}
    </Container>
  );
}
