// The decisions the signed-in role may take at the candidacy's stage (the contracts' DECISIONS
// table says which), each as a form; district and obligation decisions ask which one first.
import { useState } from 'react';
import Accordion from '@mui/material/Accordion';
import Alert from '@mui/material/Alert';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { CandidacyState } from '@kudak/contracts/candidacy.types';
import type { DecisionName } from '@kudak/contracts/decisions';
import type { Identity } from '../auth/identity';
import { DecisionForm } from './DecisionForm';
import { DECISION_FORMS, decisionsFor } from './decision-forms';

/** The districts or obligations a decision can be about, for this person now. */
function targetsOf(
  name: DecisionName,
  state: CandidacyState,
  identity: Identity,
): Array<{ id: string; label: string }> {
  const scope = DECISION_FORMS[name].scope;
  if (scope === 'obligation') {
    return state.obligations
      .filter((o) => o.status !== 'FULFILLED' && (identity.role === 'administrator' || o.partyRole === identity.role))
      .map((o) => ({ id: o.id, label: `${o.id}: ${o.description}` }));
  }
  if (scope === 'district') {
    const mine = (id: string) =>
      identity.role !== 'district_submitter' || !identity.districts || identity.districts.includes(id);
    const wanted: Record<string, string[]> = {
      submitDistrictPlan: ['NOT_SUBMITTED', 'RETURNED'],
      reviewDistrictPlan: ['SUBMITTED'],
      waiveDistrictPlan: ['NOT_SUBMITTED', 'SUBMITTED', 'RETURNED'],
    };
    return state.districts
      .filter((d) => mine(d.id) && (wanted[name] ?? []).includes(d.status))
      .map((d) => ({ id: d.id, label: d.name }));
  }
  return [];
}

/** A committee member votes once: the vote task lists who has not voted yet. */
function stillToVote(state: CandidacyState, identity: Identity): boolean {
  const task = state.openTasks.find((t) => t.kind === 'COMMITTEE_VOTE');
  return Boolean(task && (!task.assignees || task.assignees.includes(identity.sub)));
}

function ScopedDecision({
  name,
  state,
  targets,
  preselected,
  onDone,
}: {
  name: DecisionName;
  state: CandidacyState;
  targets: Array<{ id: string; label: string }>;
  preselected?: string;
  onDone: (name: DecisionName) => void;
}) {
  const { t } = useTranslation();
  const scope = DECISION_FORMS[name].scope;
  const [chosen, setChosen] = useState(
    targets.some((x) => x.id === preselected) ? preselected! : (targets[0]?.id ?? ''),
  );
  return (
    <Stack spacing={1.5}>
      <TextField
        select
        size="small"
        id={`${name}-target`}
        label={t(scope === 'district' ? 'fields.district' : 'fields.obligation')}
        value={chosen}
        onChange={(e) => setChosen(e.target.value)}
      >
        {targets.map((x) => (
          <MenuItem key={x.id} value={x.id}>
            {x.label}
          </MenuItem>
        ))}
      </TextField>
      <DecisionForm
        key={chosen}
        name={name}
        onDone={onDone}
        target={{
          cityId: state.cityId,
          ...(scope === 'district' ? { districtId: chosen } : { obligationId: chosen }),
        }}
      />
    </Stack>
  );
}

export function DecisionsPanel({
  state,
  identity,
  open,
  preselected,
}: {
  state: CandidacyState;
  identity: Identity;
  open?: string | null;
  preselected?: string | null;
}) {
  const { t } = useTranslation();
  // The last decision taken here: said above the forms, which change as the candidacy moves on.
  const [done, setDone] = useState<DecisionName>();
  const available = decisionsFor(identity.role, state.stage).filter(
    (name) =>
      (DECISION_FORMS[name].scope === undefined || targetsOf(name, state, identity).length > 0) &&
      (name !== 'castCommitteeVote' || stillToVote(state, identity)) &&
      (name !== 'withdrawCandidacy' || !state.closedAt),
  );
  return (
    <section id="decisions" aria-labelledby="decisions-title">
      <Typography id="decisions-title" variant="h5" component="h2" sx={{ mb: 1 }}>
        {t('candidacy.decisions')}
      </Typography>
      <div role="status">
        {done && (
          <Alert severity="success" sx={{ mb: 1 }}>
            {t('decision.done')} {t(`decisions.${done}`)}
          </Alert>
        )}
      </div>
      {available.length === 0 && <Typography>{t('candidacy.noDecisions')}</Typography>}
      {available.map((name) => (
        <Accordion key={name} defaultExpanded={open === name} disableGutters>
          <AccordionSummary aria-controls={`${name}-content`} id={`${name}-header`}>
            <Typography component="h3" variant="subtitle1">
              {t(`decisions.${name}`)}
            </Typography>
          </AccordionSummary>
          <AccordionDetails id={`${name}-content`}>
            {DECISION_FORMS[name].scope ? (
              <ScopedDecision
                name={name}
                state={state}
                targets={targetsOf(name, state, identity)}
                preselected={preselected ?? undefined}
                onDone={setDone}
              />
            ) : (
              <DecisionForm name={name} target={{ cityId: state.cityId }} onDone={setDone} />
            )}
          </AccordionDetails>
        </Accordion>
      ))}
    </section>
  );
}
