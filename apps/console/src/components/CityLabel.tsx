import Typography from '@mui/material/Typography';

/** A city as people know it, its name, with its id beside it (left to right, never broken at a dash). */
export function CityLabel({ name, id }: { name: string; id: string }) {
  return (
    <>
      {name}{' '}
      <Typography
        component="span"
        variant="body2"
        color="text.secondary"
        lang="en"
        dir="ltr"
        sx={{ whiteSpace: 'nowrap' }}
      >
        {id}
      </Typography>
    </>
  );
}
