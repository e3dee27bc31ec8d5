// A candidacy as the API returns its state: stages, districts, obligations, inputs, the committee,
// evaluations, awards, and the decisions the signed-in person may take now.
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams, useSearchParams } from 'react-router-dom';
import { CANDIDACY_STAGES, type CandidacyStage, type CandidacyState } from '@kudak/contracts/candidacy.types';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageSkeleton } from '../components/PageSkeleton';
import { ScrollArea } from '../components/ScrollArea';
import { DecisionsPanel } from '../decisions/DecisionsPanel';
import { formatDate, formatNumber, formatRelative } from '../format';
import type { Language } from '../i18n/i18n';

/** The way through: the stages' own order up to ACCEDED; the others are detours from it. */
const PATH: readonly CandidacyStage[] = CANDIDACY_STAGES.slice(0, CANDIDACY_STAGES.indexOf('ACCEDED') + 1);

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper component="section" variant="outlined" sx={{ p: { xs: 1, sm: 2 } }} aria-labelledby={id}>
      <Typography id={id} variant="h5" component="h2" sx={{ mb: 1 }}>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

export default function Candidacy() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const n = (value: number) => formatNumber(value, language);
  const { cityId = '' } = useParams();
  const [search] = useSearchParams();
  const { identity } = useSession();
  const candidacy = useQuery({
    queryKey: ['candidacy', cityId],
    queryFn: async () =>
      // The state is the contracts' CandidacyState (the OpenAPI document describes it loosely).
      unwrap(await api.GET('/candidacies/{cityId}', { params: { path: { cityId } } })) as unknown as CandidacyState,
  });
  if (candidacy.isPending) return <PageSkeleton rows={8} />;
  if (candidacy.isError) return <ErrorAlert error={candidacy.error} />;
  const state = candidacy.data;
  const pathStage = PATH.includes(state.stage) ? state.stage : (state.previousStage ?? 'COMMITMENT');
  const nextDue = state.openTasks
    .map((task) => task.dueAt)
    .filter((due): due is string => Boolean(due))
    .sort()[0];
  const mayAudit = identity?.role === 'auditor' || identity?.role === 'administrator';

  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
        <Typography variant="h4" component="h1">
          {state.cityName}
        </Typography>
        {mayAudit && (
          <Button variant="outlined" component={RouterLink} to={`/candidacies/${encodeURIComponent(cityId)}/audit`}>
            {t('candidacy.audit')}
          </Button>
        )}
      </Stack>
      <Stack
        direction="row"
        spacing={1}
        sx={{ flexWrap: 'wrap', gap: 1 }}
        role="group"
        aria-label={t('candidacy.currentStage')}
      >
        <Chip color="primary" label={t(`stages.${state.stage}`)} />
        {state.cycle > 1 && <Chip label={t('candidacy.cycle', { cycle: n(state.cycle) })} />}
        {state.overdue && <Chip color="error" label={t('status.overdue')} />}
      </Stack>
      <Typography>
        {t('candidacy.stageEntered', { date: formatDate(state.stageEnteredAt, language, true) })}
        {nextDue &&
          ` · ${t('candidacy.nextDeadline', { date: formatDate(nextDue, language, true), relative: formatRelative(nextDue, language) })}`}
      </Typography>
      <ScrollArea label={t('candidacy.progress')}>
        <Stepper
          activeStep={PATH.indexOf(pathStage)}
          alternativeLabel
          aria-label={t('candidacy.progress')}
          sx={{ minWidth: 640 }}
        >
          {PATH.map((stage) => (
            <Step key={stage} completed={PATH.indexOf(stage) < PATH.indexOf(pathStage) || state.stage === 'ACCEDED'}>
              <StepLabel icon={n(PATH.indexOf(stage) + 1)}>{t(`stages.${stage}`)}</StepLabel>
            </Step>
          ))}
        </Stepper>
      </ScrollArea>

      {identity && (
        <DecisionsPanel
          state={state}
          identity={identity}
          open={search.get('decision')}
          preselected={search.get('district') ?? search.get('obligation')}
        />
      )}

      <Section
        id="districts-title"
        title={t('candidacy.districts', { count: state.districts.length, shown: n(state.districts.length) })}
      >
        <Grid container spacing={1} component="ul" sx={{ listStyle: 'none', p: 0, m: 0 }}>
          {state.districts.map((d) => (
            <Grid key={d.id} size={{ xs: 6, sm: 4, md: 3 }} component="li">
              <Paper
                variant="outlined"
                sx={{ p: 1, height: '100%', borderColor: d.overdue ? 'error.main' : undefined }}
              >
                <Typography variant="subtitle2" component="p">
                  {d.name}
                </Typography>
                <Chip
                  size="small"
                  label={t(`districtStatus.${d.status}`)}
                  color={d.status === 'APPROVED' ? 'success' : d.overdue ? 'error' : 'default'}
                />
                {d.dueAt && (
                  <Typography variant="caption" component="p" color={d.overdue ? 'error' : 'text.secondary'}>
                    {formatDate(d.dueAt, language)}
                  </Typography>
                )}
                {d.status === 'RETURNED' && d.lastDecision?.reason && (
                  <Typography variant="caption" component="p">
                    {t('candidacy.returnedBecause', { reason: d.lastDecision.reason })}
                  </Typography>
                )}
              </Paper>
            </Grid>
          ))}
        </Grid>
      </Section>

      <Section id="obligations-title" title={t('candidacy.obligations')}>
        {state.obligations.length === 0 ? (
          <Typography>{t('candidacy.none')}</Typography>
        ) : (
          <ScrollArea label={t('candidacy.obligations')}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('fields.party')}</TableCell>
                  <TableCell>{t('fields.owedTo')}</TableCell>
                  <TableCell>{t('fields.description')}</TableCell>
                  <TableCell>{t('candidacy.due')}</TableCell>
                  <TableCell>{t('candidacy.status')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {state.obligations.map((o) => (
                  <TableRow key={o.id} sx={o.status === 'OVERDUE' ? { '& td': { color: 'error.main' } } : undefined}>
                    <TableCell>{o.party}</TableCell>
                    <TableCell>{o.owedTo}</TableCell>
                    <TableCell>{o.description}</TableCell>
                    <TableCell>{formatDate(o.dueAt, language)}</TableCell>
                    <TableCell>{t(`obligationStatus.${o.status}`)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </ScrollArea>
        )}
      </Section>

      <Section id="inputs-title" title={t('candidacy.actionPlan')}>
        {state.actionPlanInputs.length === 0 && !state.actionPlan && <Typography>{t('candidacy.none')}</Typography>}
        <ul>
          {state.actionPlanInputs.map((input, i) => (
            <li key={i}>
              {t(`options.${input.source}`)}: {input.party}: {input.summary} ({formatDate(input.recordedAt, language)})
            </li>
          ))}
        </ul>
        {state.actionPlan && (
          <Typography>
            {t('candidacy.actionPlanSubmitted', {
              summary: state.actionPlan.summary,
              date: formatDate(state.actionPlan.submittedAt, language),
            })}
          </Typography>
        )}
      </Section>

      <Section id="committee-title" title={t('candidacy.committee')}>
        {state.committeeRounds.length === 0 && <Typography>{t('candidacy.none')}</Typography>}
        {state.committeeRounds.map((round) => (
          <Box key={round.round} sx={{ mb: 1 }}>
            <Typography variant="subtitle2" component="h3">
              {t('candidacy.round', { round: n(round.round) })}
              {round.outcome && ` · ${t(`options.${round.outcome}`)}`}
            </Typography>
            <ScrollArea label={t('candidacy.round', { round: n(round.round) })}>
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>{t('candidacy.member')}</TableCell>
                    <TableCell>{t('fields.vote')}</TableCell>
                    <TableCell>{t('fields.reason')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {round.ballots.map((ballot) => (
                    <TableRow key={ballot.memberId}>
                      <TableCell>{ballot.actor.name ?? ballot.memberId}</TableCell>
                      <TableCell>
                        {ballot.recused ? t('options.RECUSE') : t(`options.${ballot.vote}`)}
                        {round.dissenters?.includes(ballot.memberId) && ` · ${t('candidacy.dissent')}`}
                      </TableCell>
                      <TableCell>{ballot.reason}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </ScrollArea>
          </Box>
        ))}
      </Section>

      <Section id="evaluations-title" title={t('candidacy.evaluations')}>
        {state.evaluations.length === 0 && <Typography>{t('candidacy.none')}</Typography>}
        <ul>
          {state.evaluations.map((e) => (
            <li key={e.id}>
              {t('candidacy.evaluation', {
                sequence: n(e.sequence),
                results: n(e.scores.resultsForChildren),
                participation: n(e.scores.childParticipation),
                nonDiscrimination: n(e.scores.nonDiscrimination),
                date: formatDate(e.at, language),
              })}{' '}
              {e.satisfactory ? t('candidacy.satisfactory') : t('candidacy.unsatisfactory')}
            </li>
          ))}
        </ul>
      </Section>

      <Section id="awards-title" title={t('candidacy.awards')}>
        {state.awards.length === 0 && <Typography>{t('candidacy.none')}</Typography>}
        <ul>
          {state.awards.map((a, i) => (
            <li key={i}>
              {t(`awards.${a.kind}`)} · {formatDate(a.awardedAt, language)}
              {a.expiresAt &&
                ` · ${t('candidacy.expires', { date: formatDate(a.expiresAt, language), relative: formatRelative(a.expiresAt, language) })}`}
            </li>
          ))}
        </ul>
      </Section>
    </Stack>
  );
}
