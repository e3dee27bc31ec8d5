// An error as a page shows it: what happened, in the reader's language, then the API's own words
// (in English: they name fields and values as the API does, which the reader may need to quote).
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** The statuses the catalogues explain (`errors.status<N>`); any other is `errors.other`. */
const EXPLAINED_STATUSES = [400, 403, 404, 409, 413, 415, 422, 429, 503] as const;

function errorTitleKey(error: Error): { key: string; status?: number } {
  if (!(error instanceof ApiError)) return { key: 'errors.unreachable' };
  const explained = (EXPLAINED_STATUSES as readonly number[]).includes(error.status);
  return { key: explained ? `errors.status${error.status}` : 'errors.other', status: error.status };
}

export function ErrorAlert({ error }: { error: Error }) {
  const { t } = useTranslation();
  const { key, status } = errorTitleKey(error);
  const details = error instanceof ApiError ? error.messages : [error.message];
  return (
    <Alert severity="error">
      <AlertTitle>{t(key, { status })}</AlertTitle>
      {details.map((detail) => (
        <Typography key={detail} variant="body2" lang="en" dir="auto">
          {detail}
        </Typography>
      ))}
    </Alert>
  );
}
