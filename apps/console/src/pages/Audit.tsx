// The audit of a candidacy (auditors and administrators): the timeline with actor, reason and both
// calendars, filtered by kind and district (by the API, so paging counts what is kept);
// verification and replay; the dossier; the documents.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams } from 'react-router-dom';
import type { CandidacyState } from '@kudak/contracts/candidacy.types';
import { TIMELINE_KINDS, type TimelineKind } from '@kudak/contracts/timeline-kinds';
import { api, ApiError, bearer, messagesOf, unwrap } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageSkeleton } from '../components/PageSkeleton';
import { ScrollArea } from '../components/ScrollArea';
import { Pager } from '../components/Pager';
import { formatNumber } from '../format';
import type { Language } from '../i18n/i18n';
import { timelineSummary } from './timeline-summary';

const PAGE = 50;
interface DocumentSeen {
  sha256: string;
  name?: string;
  size?: number;
}

/** Saves an answer's bytes under the name its Content-Disposition gives. */
async function download(url: string, fallbackName: string): Promise<void> {
  const res = await fetch(url, { headers: bearer() });
  if (!res.ok) throw new ApiError(res.status, messagesOf(await res.json().catch(() => undefined)));
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await res.blob());
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

export default function Audit() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const { cityId = '' } = useParams();
  const [offset, setOffset] = useState(0);
  const [kind, setKind] = useState<TimelineKind | ''>('');
  const [district, setDistrict] = useState('');
  // The API filters and pages: `total` counts the lines the filters keep.
  const timeline = useQuery({
    queryKey: ['history', cityId, offset, kind, district],
    queryFn: async () =>
      unwrap(
        await api.GET('/candidacies/{cityId}/history', {
          params: {
            path: { cityId },
            query: {
              limit: PAGE,
              offset,
              ...(kind ? { kind: [kind] } : {}),
              ...(district ? { districtId: district } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  // The districts to filter by: the candidacy's own (the same query as its page).
  const candidacy = useQuery({
    queryKey: ['candidacy', cityId],
    queryFn: async () =>
      unwrap(await api.GET('/candidacies/{cityId}', { params: { path: { cityId } } })) as unknown as CandidacyState,
  });
  const filterBy = (apply: () => void) => {
    apply();
    setOffset(0);
  };
  const verify = useMutation({
    mutationFn: async () =>
      unwrap(await api.GET('/candidacies/{cityId}/audit/verification', { params: { path: { cityId } } })),
  });
  const replay = useMutation({
    mutationFn: async () =>
      unwrap(await api.GET('/candidacies/{cityId}/audit/replay', { params: { path: { cityId } } })),
  });
  const dossier = useMutation({
    mutationFn: () => download(`/candidacies/${encodeURIComponent(cityId)}/dossier`, `${cityId}-dossier.zip`),
  });
  const entries = timeline.data?.entries ?? [];
  const documents = new Map<string, DocumentSeen>();
  for (const entry of timeline.data?.entries ?? []) {
    const docs = entry.details?.documents;
    if (Array.isArray(docs)) for (const doc of docs as DocumentSeen[]) documents.set(doc.sha256, doc);
  }

  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">
        {t('audit.title', { city: cityId })}
      </Typography>
      <Button component={RouterLink} to={`/candidacies/${encodeURIComponent(cityId)}`} sx={{ alignSelf: 'flex-start' }}>
        {t('audit.back')}
      </Button>
      <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="checks-title">
        <Typography id="checks-title" variant="h5" component="h2">
          {t('audit.checks')}
        </Typography>
        <Stack direction="row" spacing={1} sx={{ my: 1, flexWrap: 'wrap', gap: 1 }}>
          <Button variant="contained" onClick={() => verify.mutate()} disabled={verify.isPending}>
            {t('audit.verify')}
          </Button>
          <Button variant="contained" onClick={() => replay.mutate()} disabled={replay.isPending}>
            {t('audit.replay')}
          </Button>
          <Button variant="outlined" onClick={() => dossier.mutate()} disabled={dossier.isPending}>
            {t('audit.dossier')}
          </Button>
        </Stack>
        <div role="status">
          {verify.data && (
            <Alert severity={verify.data.ok ? 'success' : 'error'}>
              {verify.data.ok
                ? t('audit.verified', { rows: formatNumber(verify.data.storedRows, language) })
                : t('audit.notVerified', {
                    count: formatNumber(verify.data.problems.length + verify.data.documents.length, language),
                  })}
              {verify.data.problems.map((p) => (
                <div key={p.position}>{`${p.kind} #${p.position}: ${p.detail}`}</div>
              ))}
            </Alert>
          )}
          {replay.data && (
            <Alert severity={replay.data.ok ? 'success' : 'error'}>
              {replay.data.ok
                ? t('audit.replayed', { runs: formatNumber(replay.data.replayed.length, language) })
                : `${t('audit.notReplayed')} ${replay.data.firstDivergence?.error ?? ''}`}
            </Alert>
          )}
          {dossier.isSuccess && <Alert severity="success">{t('audit.dossierSaved')}</Alert>}
          {[verify.error, replay.error, dossier.error].filter(Boolean).map((err) => (
            <Alert key={String(err)} severity="error">
              {(err as Error).message}
            </Alert>
          ))}
        </div>
      </Paper>

      <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="timeline-title">
        <Typography id="timeline-title" variant="h5" component="h2">
          {t('audit.timeline')}
        </Typography>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ my: 1 }}>
          <TextField
            select
            size="small"
            id="audit-kind"
            label={t('audit.kind')}
            value={kind}
            onChange={(e) => filterBy(() => setKind(e.target.value as TimelineKind | ''))}
            sx={{ minWidth: 200 }}
          >
            <MenuItem value="">{t('candidacies.any')}</MenuItem>
            {TIMELINE_KINDS.map((k) => (
              <MenuItem key={k} value={k}>
                {t(`timelineKinds.${k}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            size="small"
            id="audit-district"
            label={t('fields.district')}
            value={district}
            onChange={(e) => filterBy(() => setDistrict(e.target.value))}
            sx={{ minWidth: 200 }}
          >
            <MenuItem value="">{t('candidacies.any')}</MenuItem>
            {(candidacy.data?.districts ?? []).map((d) => (
              <MenuItem key={d.id} value={d.id}>
                {d.name}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
        {timeline.isPending && <PageSkeleton />}
        {timeline.isError && <ErrorAlert error={timeline.error} />}
        {timeline.data && (
          <ScrollArea label={t('audit.timeline')}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('audit.when')}</TableCell>
                  <TableCell>{t('audit.kind')}</TableCell>
                  <TableCell>{t('audit.actor')}</TableCell>
                  <TableCell>{t('fields.reason')}</TableCell>
                  <TableCell>{t('audit.summary')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {entries.map((e) => (
                  <TableRow key={`${e.runId}-${e.eventId}`}>
                    <TableCell>{e.when[language]}</TableCell>
                    <TableCell>{t(`timelineKinds.${e.kind}`)}</TableCell>
                    <TableCell>
                      {e.actor ? `${e.actor.name ?? e.actor.id} (${t(`roles.${e.actor.role}`)})` : ''}
                    </TableCell>
                    <TableCell>{e.reason}</TableCell>
                    <TableCell>{timelineSummary(e, t, language)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </ScrollArea>
        )}
        <Pager
          list={t('audit.timeline')}
          onPrevious={offset > 0 ? () => setOffset(Math.max(0, offset - PAGE)) : undefined}
          onNext={timeline.data && offset + PAGE < timeline.data.total ? () => setOffset(offset + PAGE) : undefined}
        />
      </Paper>

      <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-labelledby="documents-title">
        <Typography id="documents-title" variant="h5" component="h2">
          {t('audit.documents')}
        </Typography>
        {documents.size === 0 && <Typography>{t('candidacy.none')}</Typography>}
        <ul>
          {[...documents.values()].map((doc) => (
            <li key={doc.sha256}>
              <Button
                size="small"
                onClick={() =>
                  void download(
                    `/candidacies/${encodeURIComponent(cityId)}/documents/${doc.sha256}`,
                    doc.name ?? doc.sha256,
                  )
                }
              >
                {doc.name ?? doc.sha256}
              </Button>{' '}
              <code style={{ wordBreak: 'break-all' }}>{doc.sha256}</code>
            </li>
          ))}
        </ul>
      </Paper>
    </Stack>
  );
}
