import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { StartCandidacyDto } from '../../apps/api/candidacies/dto/start-candidacy.dto';
import {
  AddObligationDto,
  RecordEvaluationDto,
  SubmitDistrictPlanDto,
} from '../../apps/api/decisions/dto/decision.dto';
import { FIELD_MESSAGE_KEYS, readFieldMessage, type FieldMessage } from '../../apps/console/src/field-messages';
import en from '../../apps/console/src/i18n/en.json';
import fa from '../../apps/console/src/i18n/fa.json';
import { requireOneOf, requireText } from '../../workflows/shared/refusals';

// The console says the API's common field refusals in the reader's language: each is read from the
// words the API itself produces (its DTOs under class-validator, the workflows' validators).

/** Every message the API's ValidationPipe would answer for a body, by property path. */
async function refusals<T extends object>(dto: new () => T, body: object): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  const walk = (errors: ValidationError[], path: string) => {
    for (const error of errors) {
      const at = path ? `${path}.${error.property}` : error.property;
      if (error.constraints) found[at] = Object.values(error.constraints);
      walk(error.children ?? [], at);
    }
  };
  walk(await validate(plainToInstance(dto, body), { whitelist: true, forbidNonWhitelisted: true }), '');
  return found;
}

const read = (messages: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(messages).map(([path, texts]) => [path, texts.map(readFieldMessage)]));

/** The refusal a workflow validator throws. */
function workflowRefusal(refuse: () => unknown): string {
  try {
    refuse();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('not refused');
}

describe("the console's reading of the API's field refusals", () => {
  it("reads a district plan's bad link and over-long summary", async () => {
    const messages = await refusals(SubmitDistrictPlanDto, { summary: 'x'.repeat(20_001), documentUrl: 'نه یک پیوند' });
    expect(read(messages)).toEqual({
      summary: [{ key: 'maxLength', params: { max: expect.any(Number) } }],
      documentUrl: [{ key: 'url', params: {} }],
    });
  });

  it('reads scores out of range or not whole', async () => {
    const messages = await refusals(RecordEvaluationDto, {
      scores: { resultsForChildren: 0, childParticipation: 6, nonDiscrimination: 2.5 },
    });
    expect(read(messages)).toMatchObject({
      'scores.resultsForChildren': [{ key: 'min', params: { min: 1 } }],
      'scores.childParticipation': [{ key: 'max', params: { max: 5 } }],
      'scores.nonDiscrimination': [{ key: 'integer', params: {} }],
    });
  });

  it("reads a start's city, country, districts and an obligation's due date", async () => {
    const start = await refusals(StartCandidacyDto, {
      cityId: 'Isfahan!',
      cityName: 'Isfahan',
      country: 'Iran',
      districts: [],
    });
    expect(read(start)).toEqual({
      cityId: [{ key: 'cityId', params: {} }],
      country: [{ key: 'country', params: {} }],
      districts: [{ key: 'minItems', params: { min: 1 } }],
    });
    const obligation = await refusals(AddObligationDto, {
      obligation: {
        id: 'Funding',
        party: 'UNICEF',
        partyRole: 'unicef_officer',
        owedTo: 'Isfahan',
        description: 'x',
        dueAt: '۱۴۰۵/۱۳/۰۱',
      },
    });
    expect(read(obligation)).toEqual({
      'obligation.id': [{ key: 'slug', params: {} }],
      'obligation.dueAt': [{ key: 'dateTime', params: {} }],
    });
  });

  it("reads the workflows' own refusals", () => {
    const expected: Array<[string, FieldMessage]> = [
      [workflowRefusal(() => requireText('  ', 'summary')), { key: 'required', params: {} }],
      [
        workflowRefusal(() => requireText(undefined, 'reason (why the plan is returned)')),
        { key: 'required', params: {} },
      ],
      [workflowRefusal(() => requireText('xx', 'summary', 1)), { key: 'maxLength', params: { max: 1 } }],
      [
        workflowRefusal(() => requireOneOf('MAYBE', ['APPROVE', 'RETURN'], 'decision')),
        { key: 'oneOf', params: { values: 'APPROVE, RETURN' } },
      ],
    ];
    for (const [message, meaning] of expected)
      expect({ message, read: readFieldMessage(message) }).toEqual({ message, read: meaning });
  });

  it('leaves any other message as the API put it', () => {
    expect(readFieldMessage("district district-1's plan is SUBMITTED: nothing to submit")).toBeUndefined();
  });

  it('has each meaning in both catalogues', () => {
    for (const catalogue of [fa, en]) {
      expect(Object.keys(catalogue.fieldErrors).sort()).toEqual([...FIELD_MESSAGE_KEYS].sort());
    }
  });
});
