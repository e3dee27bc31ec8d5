import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useTranslation } from 'react-i18next';

/** Previous and next page buttons for any paged list. */
export function Pager({ onPrevious, onNext }: { onPrevious?: () => void; onNext?: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
      <Button disabled={!onPrevious} onClick={onPrevious}>
        {t('paging.previous')}
      </Button>
      <Button disabled={!onNext} onClick={onNext}>
        {t('paging.next')}
      </Button>
    </Stack>
  );
}
