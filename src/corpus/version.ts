/** Bump when parsing or metadata rules change: the index manifest records it and rebuilds on mismatch. */
export const PARSER_VERSION = 6;
