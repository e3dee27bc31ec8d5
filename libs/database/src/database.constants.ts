/** Injection token of the shared Knex instance (see DatabaseModule). */
export const KNEX = Symbol('KNEX');
