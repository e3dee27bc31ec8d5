// Where the identity provider sends the browser back with the authorization code.
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../auth/session';
import { PageSkeleton } from '../components/PageSkeleton';

export default function AuthCallback() {
  const session = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!session.ready) return;
    session.completeOidc().then(
      () => navigate('/', { replace: true }),
      (err: Error) => setError(err.message),
    );
    // Once, when the session knows its provider (session itself changes as it completes).
  }, [session.ready]);
  return error ? <Alert severity="error">{error}</Alert> : <PageSkeleton />;
}
