import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes registered on the server (the embedded dev server registers them at
// start; on a cluster an operator does, see README). Candidacies are listed by them.
export const CITY_SEARCH_ATTRIBUTE = defineSearchAttributeKey('KudakCity', SearchAttributeType.KEYWORD);
export const COUNTRY_SEARCH_ATTRIBUTE = defineSearchAttributeKey('KudakCountry', SearchAttributeType.KEYWORD);
export const STAGE_SEARCH_ATTRIBUTE = defineSearchAttributeKey('KudakStage', SearchAttributeType.KEYWORD);
export const OVERDUE_SEARCH_ATTRIBUTE = defineSearchAttributeKey('KudakOverdue', SearchAttributeType.BOOL);

export const KUDAK_SEARCH_ATTRIBUTES = [
  CITY_SEARCH_ATTRIBUTE,
  COUNTRY_SEARCH_ATTRIBUTE,
  STAGE_SEARCH_ATTRIBUTE,
  OVERDUE_SEARCH_ATTRIBUTE,
];

/** The CLI's and operator API's name of each type, for registering them. */
export const SEARCH_ATTRIBUTE_CLI_TYPES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.BOOL]: 'Bool',
};
