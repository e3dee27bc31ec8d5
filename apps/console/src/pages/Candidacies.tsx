// The candidacies in my scope: filtered by stage, city and overdue, paged with the API's tokens.
import { useState } from 'react';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import { CANDIDACY_STAGES, type CandidacyStage } from '@kudak/contracts/candidacy.types';
import { CITY_ID_PATTERN } from '@kudak/contracts/workflow-ids';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/session';
import { CityLabel } from '../components/CityLabel';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageSkeleton } from '../components/PageSkeleton';
import { ScrollArea } from '../components/ScrollArea';
import { Pager } from '../components/Pager';
import { formatDate, formatRelative } from '../format';
import type { Language } from '../i18n/i18n';

const PAGE_SIZE = 20;

// On a phone the start date (in two calendars) would squeeze the other columns into a word a line:
// it is on the candidacy's page.
const WIDE_ONLY = { display: { xs: 'none', sm: 'table-cell' } };

export default function Candidacies() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const { identity } = useSession();
  const [stage, setStage] = useState<CandidacyStage | ''>('');
  const [city, setCity] = useState('');
  const [overdue, setOverdue] = useState<'' | 'true' | 'false'>('');
  // The tokens of the pages seen so far: the last is the current page's.
  const [tokens, setTokens] = useState<Array<string | undefined>>([undefined]);
  const pageToken = tokens[tokens.length - 1];
  // The filter is a city's id (isfahan): anything else is said at the field, not sent for a 400.
  const cityId = city.trim();
  const cityIdValid = cityId === '' || CITY_ID_PATTERN.test(cityId);
  const list = useQuery({
    enabled: cityIdValid,
    queryKey: ['candidacies', stage, city, overdue, pageToken],
    queryFn: async () =>
      unwrap(
        await api.GET('/candidacies', {
          params: {
            query: {
              pageSize: PAGE_SIZE,
              ...(stage ? { stage } : {}),
              ...(cityId ? { city: cityId } : {}),
              ...(overdue ? { overdue: overdue === 'true' } : {}),
              ...(pageToken ? { pageToken } : {}),
            },
          },
        }),
      ),
  });
  const reset = () => setTokens([undefined]);
  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
        <Typography variant="h4" component="h1">
          {t('candidacies.title')}
        </Typography>
        {identity?.role === 'administrator' && (
          <Button variant="contained" component={RouterLink} to="/candidacies/new">
            {t('candidacies.start')}
          </Button>
        )}
      </Stack>
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={1}
        component="search"
        aria-label={t('candidacies.filters')}
      >
        <TextField
          select
          size="small"
          id="filter-stage"
          label={t('candidacies.stage')}
          value={stage}
          onChange={(e) => {
            setStage(e.target.value as CandidacyStage | '');
            reset();
          }}
          sx={{ minWidth: 200 }}
        >
          <MenuItem value="">{t('candidacies.any')}</MenuItem>
          {CANDIDACY_STAGES.map((s) => (
            <MenuItem key={s} value={s}>
              {t(`stages.${s}`)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          id="filter-city"
          label={t('candidacies.cityId')}
          value={city}
          error={!cityIdValid}
          helperText={cityIdValid ? undefined : t('fieldErrors.cityId')}
          onChange={(e) => {
            setCity(e.target.value);
            reset();
          }}
        />
        <TextField
          select
          size="small"
          id="filter-overdue"
          label={t('candidacies.overdue')}
          value={overdue}
          onChange={(e) => {
            setOverdue(e.target.value as '' | 'true' | 'false');
            reset();
          }}
          sx={{ minWidth: 160 }}
        >
          <MenuItem value="">{t('candidacies.any')}</MenuItem>
          <MenuItem value="true">{t('candidacies.onlyOverdue')}</MenuItem>
          <MenuItem value="false">{t('candidacies.onTime')}</MenuItem>
        </TextField>
      </Stack>
      {cityIdValid && list.isPending && <PageSkeleton />}
      {list.isError && <ErrorAlert error={list.error} />}
      {cityIdValid && list.data && (
        <ScrollArea label={t('candidacies.title')}>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>{t('candidacies.city')}</TableCell>
                <TableCell>{t('candidacies.stage')}</TableCell>
                <TableCell sx={WIDE_ONLY}>{t('candidacies.started')}</TableCell>
                <TableCell>{t('candidacies.overdue')}</TableCell>
                <TableCell>{t('candidacies.updated')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.data.items.map((item) => (
                <TableRow key={item.workflowId}>
                  <TableCell>
                    <RouterLink to={`/candidacies/${encodeURIComponent(item.cityId)}`}>
                      <CityLabel name={item.cityName} id={item.cityId} />
                    </RouterLink>
                  </TableCell>
                  <TableCell>{t(`stages.${item.stage}`)}</TableCell>
                  <TableCell sx={WIDE_ONLY}>{formatDate(item.startedAt, language)}</TableCell>
                  <TableCell>
                    {item.overdue && <Chip color="error" size="small" label={t('status.overdue')} />}
                  </TableCell>
                  {/* As of when the line is: its workflow's last change (the read model trails it by moments). */}
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatRelative(item.updatedAt, language)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {list.data.items.length === 0 && <Typography sx={{ p: 1 }}>{t('candidacies.none')}</Typography>}
        </ScrollArea>
      )}
      <Pager
        list={t('candidacies.title')}
        onPrevious={tokens.length > 1 ? () => setTokens(tokens.slice(0, -1)) : undefined}
        onNext={list.data?.nextPageToken ? () => setTokens([...tokens, list.data.nextPageToken]) : undefined}
      />
    </Stack>
  );
}
