// Placeholders the size of what loads, so nothing moves when the data arrives.
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';

export function PageSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <Stack spacing={1} sx={{ p: 2 }} aria-busy="true">
      <Skeleton variant="text" width="40%" height={40} />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} variant="rounded" height={56} />
      ))}
    </Stack>
  );
}
