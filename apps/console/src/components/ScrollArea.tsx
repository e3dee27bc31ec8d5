// What may be wider than a phone's screen (tables, the stages): scrolled sideways, and reachable
// by keyboard so that it can be scrolled without a pointer.
import type { ReactNode } from 'react';
import TableContainer from '@mui/material/TableContainer';

export function ScrollArea({ label, children }: { label: string; children: ReactNode }) {
  return (
    <TableContainer tabIndex={0} role="region" aria-label={label} sx={{ overflowX: 'auto' }}>
      {children}
    </TableContainer>
  );
}
