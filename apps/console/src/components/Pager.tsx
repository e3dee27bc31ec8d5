import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useTranslation } from 'react-i18next';

/**
 * Previous and next page buttons for any paged list, named after it: a page with two lists has two
 * pagers, each found by its list's name.
 */
export function Pager({ list, onPrevious, onNext }: { list: string; onPrevious?: () => void; onNext?: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack direction="row" spacing={1} sx={{ mt: 1 }} component="nav" aria-label={t('paging.of', { list })}>
      <Button disabled={!onPrevious} onClick={onPrevious}>
        {t('paging.previous')}
      </Button>
      <Button disabled={!onNext} onClick={onNext}>
        {t('paging.next')}
      </Button>
    </Stack>
  );
}
