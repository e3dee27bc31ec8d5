/** The task queue every candidacy workflow and its activities run on (overridable for isolation in tests). */
export const CANDIDACY_TASK_QUEUE = 'kudak-candidacies';
