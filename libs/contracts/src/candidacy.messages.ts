import { defineQuery } from '@temporalio/workflow';
import type { CandidacyState } from './candidacy.types';

/** The whole state of a candidacy, read without changing history. */
export const getCandidacyStateQuery = defineQuery<CandidacyState>('getCandidacyState');
