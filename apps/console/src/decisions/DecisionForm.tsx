// One decision as a form. A key per opening of the form goes with every submit (Idempotency-Key),
// so a repeated click acts once; the API's refusals are shown next to the fields they name.
import { useState, type FormEvent } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DecisionName } from '@kudak/contracts/decisions';
import { ApiError } from '../api/client';
import { fieldMessageText } from '../field-message-text';
import type { Language } from '../i18n/i18n';
import { DECISION_FORMS, uploadDocument, type DecisionTarget, type FieldSpec, type Values } from './decision-forms';

/** Out of sight, still in the page: a file input that a button of the console's opens. */
const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/** Which field a message of the API is about: the one it starts with, else one it names. */
export function fieldOfMessage(message: string, fields: readonly string[]): string | undefined {
  const first = message.split(/[\s:]/)[0].split(/[.[]/);
  const leading = fields.find((f) => first.includes(f));
  if (leading) return leading;
  const lower = message.toLowerCase();
  return fields.find((f) => new RegExp(`\\b${f.toLowerCase()}\\b`).test(lower));
}

/** The API's messages by the field each concerns (as `shownAt` maps it), the rest for the form. */
export function messagesByField(
  messages: string[],
  fields: readonly string[],
  shownAt: (field: string) => string | undefined = (field) => field,
): { byField: Record<string, string[]>; general: string[] } {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const message of messages) {
    const field = fieldOfMessage(message, fields);
    const shown = field === undefined ? undefined : shownAt(field);
    if (shown) (byField[shown] ??= []).push(message);
    else general.push(message);
  }
  return { byField, general };
}

export function DecisionForm({
  name,
  target,
  onDone,
}: {
  name: DecisionName;
  target: DecisionTarget;
  /** Told once the API took the decision (the form itself may go away as the state changes). */
  onDone: (name: DecisionName) => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const form = DECISION_FORMS[name];
  const [values, setValues] = useState<Values>({});
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const id = (field: string) => `${name}-${target.districtId ?? target.obligationId ?? 'city'}-${field}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFieldErrors({});
    setFormErrors([]);
    try {
      const document = values.document;
      const documents = document instanceof File ? [await uploadDocument(target.cityId, document)] : [];
      await form.send(target, values, documents, key);
      onDone(name);
      setValues({});
      setKey(crypto.randomUUID());
      await queryClient.invalidateQueries();
    } catch (err) {
      // A refusal (4xx) did nothing: the corrected form is another request, with a key of its own.
      // After an outage or a lost answer the key stays, so that sending again acts at most once.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) setKey(crypto.randomUUID());
      const messages = err instanceof ApiError ? err.messages : [String(err)];
      const own = form.fields.map((f) => f.name);
      const { byField, general } = messagesByField(
        messages.length ? messages : [t('decision.failed', { status: (err as ApiError).status })],
        [...own, 'documents', 'scores', 'obligation'],
        // A document's refusal names `documents[i]`: it is the file field's.
        (field) => {
          const shown = field === 'documents' ? 'document' : field;
          return own.includes(shown) ? shown : undefined;
        },
      );
      setFieldErrors(byField);
      setFormErrors(general);
    } finally {
      setBusy(false);
    }
  };

  const field = (spec: FieldSpec) => {
    const label = t(`fields.${spec.name}`);
    const errors = fieldErrors[spec.name];
    const helper = errors?.map((m) => fieldMessageText(m, t, i18n.language as Language)).join(' ');
    if (spec.kind === 'boolean') {
      return (
        <FormControlLabel
          key={spec.name}
          control={
            <Checkbox
              id={id(spec.name)}
              checked={values[spec.name] === true}
              onChange={(e) => setValues({ ...values, [spec.name]: e.target.checked })}
            />
          }
          label={label}
        />
      );
    }
    if (spec.kind === 'file') {
      const chosen = values[spec.name];
      return (
        <Stack key={spec.name} spacing={0.5} sx={{ alignItems: 'flex-start' }}>
          <label htmlFor={id(spec.name)}>{label}</label>
          {/* The browser's own file button speaks the browser's language, not the reader's: a
              button of the console's opens the (visually hidden) input instead. */}
          <input
            id={id(spec.name)}
            type="file"
            tabIndex={-1}
            style={VISUALLY_HIDDEN}
            aria-invalid={errors ? true : undefined}
            aria-describedby={errors ? `${id(spec.name)}-error` : undefined}
            onChange={(e) => setValues({ ...values, [spec.name]: e.target.files?.[0] })}
          />
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Button
              variant="outlined"
              size="small"
              aria-describedby={`${id(spec.name)}-chosen`}
              onClick={() => document.getElementById(id(spec.name))?.click()}
            >
              {t('decision.chooseFile')}
            </Button>
            <Typography id={`${id(spec.name)}-chosen`} variant="caption">
              {chosen instanceof File ? chosen.name : t('decision.noFile')}
            </Typography>
          </Stack>
          {errors && (
            <Typography id={`${id(spec.name)}-error`} color="error" variant="caption">
              {helper}
            </Typography>
          )}
        </Stack>
      );
    }
    return (
      <TextField
        key={spec.name}
        id={id(spec.name)}
        label={label}
        required={spec.required}
        select={spec.kind === 'select'}
        multiline={spec.kind === 'multiline'}
        minRows={spec.kind === 'multiline' ? 2 : undefined}
        // A number input drops the Persian digits a Persian keyboard types: text, with a numeric keypad on phones.
        slotProps={spec.kind === 'number' ? { htmlInput: { inputMode: 'numeric' } } : undefined}
        value={values[spec.name] ?? ''}
        onChange={(e) => setValues({ ...values, [spec.name]: e.target.value })}
        error={Boolean(errors)}
        helperText={helper}
        fullWidth
        size="small"
      >
        {spec.options?.map((option) => (
          <MenuItem key={option} value={option}>
            {t(`options.${option}`)}
          </MenuItem>
        ))}
      </TextField>
    );
  };

  return (
    <Stack
      component="form"
      spacing={1.5}
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={t(`decisions.${name}`)}
    >
      {form.fields.map(field)}
      {formErrors.map((message) => (
        <Alert key={message} severity="error">
          {message}
        </Alert>
      ))}
      <Button type="submit" variant="contained" disabled={busy} sx={{ alignSelf: 'flex-start' }}>
        {t('decision.submit')}
      </Button>
    </Stack>
  );
}
