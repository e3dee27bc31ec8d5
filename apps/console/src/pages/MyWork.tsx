// The landing page: my tasks (soonest due first, overdue marked, by city) and my inbox.
import { useState } from 'react';
import Badge from '@mui/material/Badge';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import { CityLabel } from '../components/CityLabel';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageSkeleton } from '../components/PageSkeleton';
import { Pager } from '../components/Pager';
import { TASK_DECISIONS } from '../decisions/decision-forms';
import { formatDate, formatNumber, formatRelative } from '../format';
import type { Language } from '../i18n/i18n';
import { pageOf, pageQuery } from '../paging';

// Pages come from the API (limit and offset): a national secretariat's tasks do not fit one answer.
const TASKS_PAGE = 10;
const INBOX_PAGE = 20;

function taskLink(task: Schemas['MyTaskDto']): string {
  const decision = TASK_DECISIONS[task.kind];
  const query = new URLSearchParams();
  if (decision) query.set('decision', decision);
  if (task.districtId) query.set('district', task.districtId);
  if (task.obligationId) query.set('obligation', task.obligationId);
  return `/candidacies/${encodeURIComponent(task.cityId)}?${query.toString()}#decisions`;
}

function Tasks() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [page, setPage] = useState(0);
  const tasks = useQuery({
    queryKey: ['me', 'tasks', page],
    queryFn: async () => unwrap(await api.GET('/me/tasks', { params: { query: pageQuery(page, TASKS_PAGE) } })),
  });
  if (tasks.isPending) return <PageSkeleton rows={4} />;
  if (tasks.isError) return <ErrorAlert error={tasks.error} />;
  // The API answers soonest due first; the page keeps that order within each city.
  const { shown, more } = pageOf(tasks.data, TASKS_PAGE);
  const pager = (
    <Pager
      list={t('myWork.tasks')}
      onPrevious={page > 0 ? () => setPage(page - 1) : undefined}
      onNext={more ? () => setPage(page + 1) : undefined}
    />
  );
  if (shown.length === 0) {
    return (
      <>
        <Typography>{t('myWork.noTasks')}</Typography>
        {page > 0 && pager}
      </>
    );
  }
  // The page's cities in the order of their first task, each with its name.
  const cities = new Map(shown.map((task) => [task.cityId, task.cityName]));
  // A line says when it is due, then as of when it is (its workflow's last change: the read model
  // trails the workflow by moments).
  const due = (task: Schemas['MyTaskDto']) =>
    task.dueAt
      ? `${formatDate(task.dueAt, language, true)} · ${formatRelative(task.dueAt, language)}`
      : t('myWork.noDeadline');
  return (
    <>
      {[...cities].map(([cityId, cityName]) => (
        <section key={cityId} aria-labelledby={`city-${cityId}`}>
          <Typography id={`city-${cityId}`} variant="h6" component="h3" sx={{ mt: 1 }}>
            <CityLabel name={cityName} id={cityId} />
          </Typography>
          <List dense>
            {shown
              .filter((task) => task.cityId === cityId)
              .map((task) => (
                <ListItem key={`${task.workflowId}/${task.taskId}`} disablePadding>
                  <ListItemButton component={RouterLink} to={taskLink(task)}>
                    <ListItemText
                      primary={
                        <>
                          {t(`tasks.${task.kind}`)}
                          {task.districtId ? ` · ${task.districtId}` : ''}
                          {task.obligationId ? ` · ${task.obligationId}` : ''}
                        </>
                      }
                      secondary={`${due(task)} · ${t('lists.updated', { when: formatRelative(task.updatedAt, language) })}`}
                    />
                    {task.overdue && <Chip color="error" size="small" label={t('status.overdue')} />}
                  </ListItemButton>
                </ListItem>
              ))}
          </List>
        </section>
      ))}
      {pager}
    </>
  );
}

function Inbox() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const queryClient = useQueryClient();
  const [page, setPage] = useState(0);
  const inbox = useQuery({
    queryKey: ['me', 'notifications', page],
    queryFn: async () => unwrap(await api.GET('/me/notifications', { params: { query: pageQuery(page, INBOX_PAGE) } })),
  });
  const notices = inbox.data && pageOf(inbox.data.items, INBOX_PAGE);
  const markRead = useMutation({
    mutationFn: async (id: number) =>
      unwrap(await api.POST('/me/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me', 'notifications'] }),
  });
  return (
    <>
      <Typography variant="h5" component="h2" sx={{ mt: 3 }}>
        <Badge color="primary" badgeContent={inbox.data ? formatNumber(inbox.data.unreadCount, language) : 0}>
          <span>{t('myWork.inbox')}</span>
        </Badge>
      </Typography>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {t('myWork.unread', {
          count: inbox.data?.unreadCount ?? 0,
          shown: formatNumber(inbox.data?.unreadCount ?? 0, language),
        })}
      </Typography>
      {inbox.isPending && <PageSkeleton rows={3} />}
      {inbox.isError && <ErrorAlert error={inbox.error} />}
      {notices && notices.shown.length === 0 && <Typography>{t('myWork.noNotifications')}</Typography>}
      <List dense>
        {notices?.shown.map((notice) => (
          <ListItem
            key={notice.id}
            secondaryAction={
              !notice.readAt && (
                <Button size="small" onClick={() => markRead.mutate(notice.id)}>
                  {t('myWork.markRead')}
                </Button>
              )
            }
          >
            <ListItemText
              primary={<span style={{ fontWeight: notice.readAt ? 400 : 700 }}>{notice.subject}</span>}
              secondary={`${formatDate(notice.createdAt, language, true)} · ${notice.cityId}`}
            />
          </ListItem>
        ))}
      </List>
      <Pager
        list={t('myWork.inbox')}
        onPrevious={page > 0 ? () => setPage(page - 1) : undefined}
        onNext={notices?.more ? () => setPage(page + 1) : undefined}
      />
    </>
  );
}

export default function MyWork() {
  const { t } = useTranslation();
  return (
    <Stack spacing={1}>
      <Typography variant="h4" component="h1">
        {t('myWork.title')}
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="h5" component="h2">
          {t('myWork.tasks')}
        </Typography>
        <Tasks />
      </Paper>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Inbox />
      </Paper>
    </Stack>
  );
}
