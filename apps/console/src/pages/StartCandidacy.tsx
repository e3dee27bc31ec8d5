// Start a candidacy (administrators): the city, its districts (pasted), contacts, obligations and
// the policy, the article's defaults filled in, or the rehearsal preset (docs/rehearsal.md).
import { useState, type FormEvent } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router-dom';
import { DEFAULT_POLICY } from '@kudak/contracts/candidacy-policy';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { useSession } from '../auth/session';
import { messagesByField } from '../decisions/DecisionForm';
import { listItems } from '../digits';
import { fieldMessageText } from '../field-message-text';
import type { Language } from '../i18n/i18n';
import { policyDuration, policyDurations, quorumValue } from './policy-input';
import { parseContacts, parseDistricts, parseObligations } from './start-candidacy-input';

type Policy = Schemas['PolicyDto'];
const DURATIONS = [
  'districtPlanDays',
  'districtResubmissionDays',
  'actionPlanMonths',
  'ministryReviewDays',
  'committeeDecisionDays',
  'unicefEndorsementDays',
  'programmeMonths',
  'evaluationIntervalMonths',
  'evaluationWindowDays',
  'correctiveActionDays',
  'finalAssessmentDays',
  'recognitionYears',
  'renewalLeadMonths',
  'appealWindowDays',
] as const satisfies ReadonlyArray<keyof Policy>;
type Duration = (typeof DURATIONS)[number];
const LISTS = ['reminderDaysBefore', 'escalationDaysAfter'] as const;
type ListField = (typeof LISTS)[number];

const defaults = (): Record<Duration | ListField, string> => ({
  ...(Object.fromEntries(DURATIONS.map((d) => [d, String(DEFAULT_POLICY[d])])) as Record<Duration, string>),
  reminderDaysBefore: DEFAULT_POLICY.reminderDaysBefore.join(', '),
  escalationDaysAfter: DEFAULT_POLICY.escalationDaysAfter.join(', '),
});

/** The rehearsal of docs/rehearsal.md: the whole way in minutes. */
const REHEARSAL: Record<Duration | ListField, string> = {
  districtPlanDays: 'PT3M',
  districtResubmissionDays: 'PT3M',
  actionPlanMonths: 'PT3M',
  ministryReviewDays: 'PT3M',
  committeeDecisionDays: 'PT3M',
  unicefEndorsementDays: 'PT3M',
  programmeMonths: 'PT40S',
  evaluationIntervalMonths: 'PT20S',
  evaluationWindowDays: 'PT3M',
  correctiveActionDays: 'PT1M',
  finalAssessmentDays: 'PT3M',
  appealWindowDays: 'PT3M',
  recognitionYears: 'PT2M',
  renewalLeadMonths: 'PT1M',
  reminderDaysBefore: 'PT10S',
  escalationDaysAfter: 'PT0S',
};

export default function StartCandidacy() {
  const { t, i18n } = useTranslation();
  const { identity } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [city, setCity] = useState({ cityId: '', cityName: '', country: identity?.country ?? 'IR' });
  const [districts, setDistricts] = useState('');
  const [contacts, setContacts] = useState('');
  const [obligations, setObligations] = useState('');
  const [members, setMembers] = useState('');
  const [quorum, setQuorum] = useState('');
  const [policy, setPolicy] = useState(defaults);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [general, setGeneral] = useState<string[]>([]);
  if (identity?.role !== 'administrator') return <Navigate to="/candidacies" replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors({});
    setGeneral([]);
    const memberIds = listItems(members);
    const quorumCount = quorumValue(quorum);
    const body: Schemas['StartCandidacyDto'] = {
      ...city,
      cityId: city.cityId.trim(),
      cityName: city.cityName.trim(),
      country: city.country.trim(),
      districts: parseDistricts(districts),
      ...(contacts.trim() ? { contacts: parseContacts(contacts) } : {}),
      ...(obligations.trim() ? { obligations: parseObligations(obligations) } : {}),
      policy: {
        ...Object.fromEntries(DURATIONS.map((d) => [d, policyDuration(policy[d])])),
        ...Object.fromEntries(LISTS.map((l) => [l, policyDurations(policy[l])])),
        ...(memberIds.length || quorumCount !== undefined
          ? {
              committee: {
                ...(memberIds.length ? { members: memberIds } : {}),
                ...(quorumCount !== undefined ? { quorum: quorumCount } : {}),
              },
            }
          : {}),
      },
    };
    try {
      unwrap(await api.POST('/candidacies', { params: { header: { 'Idempotency-Key': key } }, body }));
      await queryClient.invalidateQueries();
      void navigate(`/candidacies/${encodeURIComponent(body.cityId)}`);
    } catch (err) {
      // A refusal started nothing: the corrected form is another request, with a key of its own.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) setKey(crypto.randomUUID());
      const messages = err instanceof ApiError ? err.messages : [String(err)];
      const names = [
        'cityId',
        'cityName',
        'country',
        'districts',
        'contacts',
        'obligations',
        'committee',
        ...DURATIONS,
        ...LISTS,
      ];
      const { byField, general: rest } = messagesByField(messages, names);
      setErrors(byField);
      setGeneral(rest);
    } finally {
      setBusy(false);
    }
  };

  const fieldProps = (name: string) => ({
    id: `start-${name}`,
    name,
    error: Boolean(errors[name]),
    helperText:
      errors[name]?.map((m) => fieldMessageText(m, t, i18n.language as Language)).join(' ') ??
      t(`start.help.${name}`, { defaultValue: '' }),
    fullWidth: true,
    size: 'small' as const,
  });

  return (
    <Stack component="form" spacing={2} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="start-title">
      <Typography id="start-title" variant="h4" component="h1">
        {t('start.title')}
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Grid container spacing={2}>
          {(['cityId', 'cityName', 'country'] as const).map((name) => (
            <Grid key={name} size={{ xs: 12, sm: 4 }}>
              <TextField
                {...fieldProps(name)}
                label={t(`start.${name}`)}
                required
                value={city[name]}
                onChange={(e) => setCity({ ...city, [name]: e.target.value })}
              />
            </Grid>
          ))}
          <Grid size={12}>
            <TextField
              {...fieldProps('districts')}
              label={t('start.districts')}
              required
              multiline
              minRows={4}
              value={districts}
              onChange={(e) => setDistricts(e.target.value)}
            />
          </Grid>
          <Grid size={12}>
            <TextField
              {...fieldProps('contacts')}
              label={t('start.contacts')}
              multiline
              minRows={2}
              value={contacts}
              onChange={(e) => setContacts(e.target.value)}
            />
          </Grid>
          <Grid size={12}>
            <TextField
              {...fieldProps('obligations')}
              label={t('start.obligations')}
              multiline
              minRows={2}
              value={obligations}
              onChange={(e) => setObligations(e.target.value)}
            />
          </Grid>
        </Grid>
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }} component="fieldset">
        <Typography component="legend" variant="h6">
          {t('start.policy')}
        </Typography>
        <Stack direction="row" spacing={1} sx={{ mb: 2 }}>
          <Button onClick={() => setPolicy(defaults())}>{t('start.defaults')}</Button>
          <Button onClick={() => setPolicy(REHEARSAL)}>{t('start.rehearsal')}</Button>
        </Stack>
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, sm: 8 }}>
            <TextField
              {...fieldProps('committee')}
              label={t('start.committeeMembers')}
              value={members}
              onChange={(e) => setMembers(e.target.value)}
            />
          </Grid>
          <Grid size={{ xs: 12, sm: 4 }}>
            <TextField
              {...fieldProps('quorum')}
              label={t('start.quorum')}
              value={quorum}
              onChange={(e) => setQuorum(e.target.value)}
            />
          </Grid>
          {[...DURATIONS, ...LISTS].map((name) => (
            <Grid key={name} size={{ xs: 12, sm: 6, md: 4 }}>
              <TextField
                {...fieldProps(name)}
                label={t(`policy.${name}`)}
                value={policy[name]}
                onChange={(e) => setPolicy({ ...policy, [name]: e.target.value })}
              />
            </Grid>
          ))}
        </Grid>
      </Paper>
      {general.map((message) => (
        <Alert key={message} severity="error">
          {message}
        </Alert>
      ))}
      <Button type="submit" variant="contained" disabled={busy} sx={{ alignSelf: 'flex-start' }}>
        {t('start.submit')}
      </Button>
    </Stack>
  );
}
