// The decision table (libs/contracts) declares each decision's workflow Update with the SDK's
// define* helpers; in the browser only the names matter, so this stands in for the SDK there.
export const defineUpdate = (name: string) => ({ type: 'update', name }) as const;
export const defineQuery = (name: string) => ({ type: 'query', name }) as const;
export const defineSignal = (name: string) => ({ type: 'signal', name }) as const;
